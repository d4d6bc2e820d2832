# Die Texte der Webanwendung, Deutsch. Dieselben Schlüssel wie en/ und it/ (ein Test prüft das).
skip-to-content = Zum Inhalt springen
nav-label = Hauptmenü
nav-sites = Standorte
language = Sprache
sign-out = Abmelden
never = nie

## Anmeldung
sign-in = Anmelden
sign-in-kind = Wie Sie sich anmelden
sign-in-tab-account = SUPERADMIN
sign-in-tab-site = ADMIN
sign-in-account-help = Benutzername oder E-Mail-Adresse des Kontos, oder Ihr eigener Benutzername, wenn das Konto Sie als Benutzer angelegt hat.
sign-in-site-help = Benutzername und Passwort, die Ihnen Ihr Konto gegeben hat, und der Code Ihres Standorts aus der Freischaltungs-Mail.
sign-in-login = Benutzername oder E-Mail
sign-in-username = Benutzername
sign-in-site-code = Standortcode
password = Passwort
show-password = Passwort anzeigen
sign-in-refused = Die Anmeldedaten stimmen nicht. Bitte prüfen Sie sie und versuchen Sie es erneut.
sign-in-throttled = Zu viele Versuche. Bitte warten Sie { $secs } Sekunden und versuchen Sie es erneut.

## Standorte
sites-title = Alle Standorte
filter-text = Suchen
filter-state = Lizenzstatus
filter-any = Alle
filter-apply = Anzeigen
sort-by = Sortieren nach
sort-name = Name
sort-state = Lizenzstatus
sort-check = Letzte Prüfung
sites-count = { $n ->
    [one] Ein Standort
   *[other] { $n } Standorte
}
sites-none = Kein Standort passt.
col-site = Standort
col-product = Produkt
col-licence = Lizenz
col-last-check = Letzte Prüfung
col-expires = Lizenz endet
pages = Seiten
page-previous = Zurück
page-next = Weiter
site-state-registered = registriert
site-state-active = aktiv
site-state-deactivated = deaktiviert
site-state-suspended = gesperrt

## Fehler
error-title = Das hat nicht geklappt
error-back = Zurück zum Anfang
error-CROSS_SITE_REQUEST = Diese Anfrage kam nicht von dieser Seite. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
error-RIGHT_REQUIRED = Ihr Benutzer hat nicht das Recht dazu. Der Administrator des Kontos kann es Ihnen geben.
error-SITE_NOT_FOUND = Diesen Standort gibt es in Ihrem Konto nicht.
error-ROUTE_NOT_FOUND = Diese Seite gibt es nicht.
error-TOO_MANY_REQUESTS = Zu viele Anfragen. Bitte warten Sie einen Moment.
error-INTERNAL = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.

## Cloud
nav-cloud = Cloud
nav-invoices = Rechnungen
cloud-title = Ihre Cloud einrichten
cloud-subscription = Abonnement
cloud-state = Status
cloud-plan = Tarif
cloud-seats = Enthaltene Standorte
cloud-expires = Endet am
cloud-no-subscription = Das Konto hat noch kein Cloud-Abonnement. Testen Sie es kostenlos oder erwerben Sie es.
cloud-try = Kostenlos testen
cloud-buy = Dienst erwerben
cloud-renew = Dienst verlängern
cloud-orders = Bestellungen
cloud-invoices = Rechnungen
cloud-state-trialing = kostenloser Test
cloud-state-active = aktiv
cloud-state-expired = abgelaufen
cloud-state-maintenance = in Wartung
cloud-state-blocked = gesperrt
cloud-state-deleted = gelöscht
cloud-sites-title = Ihre Standorte
cloud-sites-help = Die Standorte sind nach Edition und Größe gruppiert: Ein Abonnement nimmt nur Standorte einer Edition und Größe auf. Wählen Sie die Standorte aus, die die Cloud nutzen sollen.
cloud-available = { $n ->
    [one] Verfügbare Standorte: einer
   *[other] Verfügbare Standorte: { $n }
}
cloud-active = { $n ->
    [one] Aktive Standorte: einer
   *[other] Aktive Standorte: { $n }
}
cloud-group-counts = { $available ->
    [0] keine Standorte
    [one] ein Standort
   *[other] { $available } Standorte
}, { $active } aktiv
cloud-group-empty = Das Konto hat keinen Standort dieser Edition und Größe.
cloud-select-all = Alle auswählen
cloud-col-email = E-Mail für die Codes
cloud-col-key = Product Key
cloud-col-cloud = Cloud
cloud-col-actions = Aktionen
cloud-no-email = noch keine: das Programm des Standorts sendet sie
cloud-connected = verbunden
cloud-site-not_enabled = Cloud nicht freigegeben
cloud-site-enabled = Cloud freigegeben
cloud-site-license_mismatch = Cloud deaktiviert: Lizenz passt nicht
cloud-resend = Aktivierungsdaten erneut senden
cloud-disable = Deaktivieren
cloud-enable = Ausgewählte Standorte freigeben
cloud-enable-help = Jeder freigegebene Standort erhält an seine E-Mail-Adresse einen Aktivierungscode und einen Standortcode. Ein Standort bleibt bis zur Verlängerung des Abonnements freigegeben.
cloud-enabled-notice = { $n ->
    [one] Ein Standort ist freigegeben. Seine Aktivierungsdaten sind an die E-Mail-Adresse des Standorts unterwegs.
   *[other] { $n } Standorte sind freigegeben. Ihre Aktivierungsdaten sind an die E-Mail-Adresse jedes Standorts unterwegs.
}
cloud-resent-notice = Die Aktivierungsdaten sind erneut an die E-Mail-Adresse des Standorts unterwegs, mit einem neuen Aktivierungscode.
cloud-steps = Schritte
cloud-step-choose = Auswahl
cloud-step-registry = Rechnungsdaten
cloud-step-summary = Zusammenfassung
cloud-step-payment = Zahlung
cloud-step-confirmation = Bestätigung
cloud-col-article = Artikelnummer
cloud-col-service = Dienst
cloud-col-bundle = Paket
cloud-col-date = Datum
cloud-col-net = Preis ohne MwSt.
cloud-col-vat = MwSt.
cloud-col-total = Gesamtbetrag
cloud-vat-reverse-charge = Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).
cloud-vat-outside-eu = Nicht im Anwendungsbereich der EU-Mehrwertsteuer.
cloud-registry = Ihr Konto
cloud-email = E-Mail
cloud-company = Firma
cloud-address = Anschrift
cloud-vat-number = USt-IdNr.
cloud-phone = Telefon
cloud-contact = Ansprechpartner
cloud-registry-fixed = Benutzername und Registrierungs-E-Mail können nicht geändert werden; die übrigen Daten des Kontos pflegen Sie in seinem Profil.
cloud-trial-title = Cloud kostenlos testen
cloud-trial-intro = Der Cloud-Dienst lässt sich einmal je Konto kostenlos testen. Erwerben Sie nach dem Testzeitraum das Abonnement, damit Ihre Standorte weiter synchronisieren; die Daten aus dem Testzeitraum bleiben erhalten.
cloud-no-trial = Zurzeit bietet kein Tarif einen kostenlosen Test an.
cloud-choose-plan = Tarif
cloud-trial-terms = { $months ->
    [one] ein Monat
   *[other] { $months } Monate
}, bis zu { $sites } Standorte
cloud-terms = Ich akzeptiere die Datenschutzerklärung und die Geschäftsbedingungen des Dienstes.
cloud-terms-required = Bitte akzeptieren Sie die Geschäftsbedingungen, um fortzufahren.
cloud-back = Zurück
cloud-proceed = Weiter
cloud-trial-summary-title = Ihr kostenloser Test: Zusammenfassung
cloud-trial-start = Kostenlosen Test starten
cloud-trial-started-title = Ihr Test hat begonnen
cloud-trial-started = Der kostenlose Test des Cloud-Dienstes hat begonnen.
cloud-trial-ends = Er läuft bis { $date }, für bis zu { $sites } Standorte.
cloud-set-up-now-help = Richten Sie jetzt Ihre Cloud ein: Wählen Sie die Standorte, die sie nutzen sollen. Bitte stellen Sie sicher, dass:
cloud-check-registered = die Product Keys dieser Standorte in Ihrem Konto registriert und vom Programm jedes Standorts aktiviert sind;
cloud-check-same-size = die freigegebenen Standorte Keys derselben Edition und Größe haben.
cloud-set-up-later = Später einrichten
cloud-set-up-now = Jetzt einrichten
cloud-buy-title = Cloud-Dienst erwerben
cloud-renew-title = Cloud-Dienst verlängern
cloud-what = Was Sie erwerben
cloud-plan-price = { $name }: { $price } je Standort für { $months } Monate
cloud-sites-count = Anzahl der Standorte
cloud-keep = Standorte behalten
cloud-keep-help = Nur bei der Verlängerung können Standorte die Cloud verlassen: Entfernen Sie das Häkchen bei den Standorten, die nicht weitermachen sollen.
cloud-keep-none = Noch ist kein Standort freigegeben.
cloud-invoicing = Rechnungsdaten
cloud-registry-account = Rechnung für das Konto { $username } ({ $email }).
cloud-street = Straße und Hausnummer
cloud-postal-code = Postleitzahl
cloud-place = Ort
cloud-region = Region
cloud-country = Land (zwei Buchstaben, z. B. DE)
cloud-invoice-email = E-Mail für den Rechnungsversand
cloud-e-invoice = Ich bin einverstanden, die Rechnung per E-Mail zu erhalten.
cloud-b2b = Ich erkläre, dass ich als Unternehmen kaufe, dass die obigen Daten das Unternehmen bezeichnen und dass die Zahlung von ihm stammt.
cloud-orders-title = Bestellungen
cloud-back-to-setup = Zurück zur Cloud-Einrichtung
cloud-orders-none = Das Konto hat noch nichts bestellt.
cloud-col-order = Bestellung
cloud-col-kind = Art
cloud-col-sites = Standorte
cloud-col-status = Status
cloud-kind-purchase = Kauf
cloud-kind-renewal = Verlängerung
cloud-order-awaiting_payment = wartet auf Zahlung
cloud-order-paid = bezahlt
cloud-order-cancelled = storniert
cloud-order-expired = abgelaufen
cloud-order-title = Bestellung
cloud-pay-by = Zahlbar bis
cloud-paid-at = Bezahlt am
cloud-invoice = Rechnung
cloud-keeps = Behaltene Standorte:
cloud-order-expired-help = Die Bestellung wurde nicht rechtzeitig bezahlt. Bestellen Sie neu, um zu kaufen.
cloud-billed-to = Die Rechnung wird ausgestellt auf
cloud-pay = Bezahlen
cloud-pay-unavailable = Die Online-Zahlung ist noch nicht eingerichtet. Wenden Sie sich an den Anbieter, um diese Bestellung zu bezahlen.
cloud-cancel-order = Bestellung stornieren
cloud-order-notice-paid = Vielen Dank: Die Zahlung ist bestätigt und die Rechnung ausgestellt.
cloud-order-notice-declined = Die Zahlung wurde abgelehnt. Die Bestellung wartet weiter auf ihre Zahlung.
cloud-order-notice-cancelled = Die Bestellung ist storniert.
cloud-invoices-title = Rechnungen
cloud-invoices-none = Das Konto hat noch keine Rechnung.
cloud-col-invoice = Rechnung
cloud-monthly-services = monatliche Dienste
cloud-print = Drucken
cloud-test-title = Testzahlung
cloud-test-warning = Dies ist der eingebaute Test-Zahlungsanbieter: Es fließt kein Geld. Er darf im Produktivbetrieb nie eingeschaltet sein.
cloud-test-pay = Bezahlen
cloud-test-decline = Ablehnen
cloud-back-to-order = Zurück zur Bestellung
error-PLAN_NOT_FOUND = Diesen Tarif gibt es nicht.
error-PLAN_HAS_NO_TRIAL = Dieser Tarif bietet keinen kostenlosen Test.
error-PLAN_MISMATCH = Der Tarif deckt die Edition und Größe dieses Standorts nicht ab.
error-TRIAL_USED = Das Konto hat seinen kostenlosen Test bereits genutzt; er wird nur einmal gewährt.
error-TRIAL_AFTER_PURCHASE = Das Konto hat den Dienst bereits erworben, daher gibt es keinen kostenlosen Test mehr.
error-SUBSCRIPTION_NOT_FOUND = Das Konto hat noch kein Cloud-Abonnement. Starten Sie zuerst den kostenlosen Test oder erwerben Sie den Dienst.
error-SUBSCRIPTION_EXPIRED = Das Abonnement ist abgelaufen. Verlängern Sie es, um weiterzumachen.
error-SUBSCRIPTION_MAINTENANCE = Das Abonnement ist in Wartung. Bitte versuchen Sie es später erneut.
error-SUBSCRIPTION_BLOCKED = Das Abonnement ist gesperrt. Wenden Sie sich an den Anbieter.
error-SUBSCRIPTION_DELETED = Das Abonnement wurde gelöscht.
error-EDITION_MISMATCH = Das Abonnement nimmt nur Standorte einer Edition und Größe auf, und dieser Standort hat eine andere.
error-SEATS_EXCEEDED = Das Abonnement hat nicht mehr genug Standorte für diese Auswahl. Wählen Sie weniger Standorte oder erwerben Sie bei der Verlängerung mehr.
error-SITE_ALREADY_ENABLED = Dieser Standort ist bereits freigegeben.
error-SITE_NOT_ACTIVE = Dieser Standort wurde von seinem Programm noch nicht aktiviert.
error-SITE_EMAIL_MISSING = Dieser Standort hat noch keine E-Mail-Adresse für seine Codes: das Programm des Standorts sendet sie mit den Standortdaten.
error-NO_SITES_SELECTED = Wählen Sie mindestens einen Standort aus.
error-TOO_MANY_SITES = Zu viele Standorte auf einmal: höchstens 500.
error-SITE_LOCKED_UNTIL_RENEWAL = Ein freigegebener Standort bleibt bis zur Verlängerung des Abonnements freigegeben. Lassen Sie ihn bei der Verlängerung weg.
error-LICENSE_REVOKED = Der Product Key dieses Standorts ist widerrufen.
error-LICENSE_SUSPENDED = Die Lizenz dieses Standorts ist ausgesetzt.
error-LICENSE_NOT_ACTIVE = Dieser Standort ist auf keinem Rechner aktiviert.
error-LICENSE_EXPIRED = Die Lizenz dieses Standorts ist abgelaufen.
error-CLOUD_LICENSE_MISMATCH = Cloud deaktiviert: Die Lizenz des Standorts hat jetzt eine andere Edition oder Größe als das Abonnement.
error-KEEP_UNKNOWN_SITE = Ein zu behaltender Standort ist in diesem Abonnement nicht freigegeben.
error-KEEP_EXCEEDS_QUANTITY = Es werden mehr Standorte behalten als erworben. Erwerben Sie mehr Standorte oder behalten Sie weniger.
error-RENEWAL_PENDING = Eine Verlängerung ist bereits bezahlt und hat noch nicht begonnen.
error-SITES_INVALID = Eine Bestellung umfasst 1 bis 10000 Standorte.
error-VAT_NUMBER_REQUIRED = Ein Unternehmen in der EU gibt seine USt-IdNr. an.
error-VAT_NUMBER_INVALID = Das ist keine gültige USt-IdNr. für das Land.
error-VAT_COUNTRY_MISMATCH = Die USt-IdNr. gehört zu einem anderen Land.
error-VAT_RATE_UNKNOWN = Der Anbieter hat für dieses Land noch keinen Mehrwertsteuersatz festgelegt. Wenden Sie sich an den Anbieter.
error-COUNTRY_INVALID = Geben Sie das Land mit seinem Code aus zwei Buchstaben an, z. B. DE oder IT.
error-EMAIL_INVALID = Das ist keine gültige E-Mail-Adresse.
error-FIELD_REQUIRED = Bitte ausfüllen.
error-FIELD_TOO_LONG = Das ist zu lang.
error-BILLING_NOT_CONFIGURED = Der Anbieter hat die Rechnungsstellung noch nicht eingerichtet, daher kann derzeit nichts bestellt werden.
error-PAYMENTS_NOT_CONFIGURED = Der Anbieter hat die Zahlungen noch nicht eingerichtet.
error-ORDER_NOT_FOUND = Diese Bestellung gibt es in Ihrem Konto nicht.
error-ORDER_ALREADY_PAID = Die Bestellung ist bereits bezahlt.
error-ORDER_CANCELLED = Die Bestellung wurde storniert.
error-ORDER_EXPIRED = Die Bestellung wurde nicht rechtzeitig bezahlt und ist abgelaufen. Bestellen Sie neu.
error-AMOUNT_MISMATCH = Betrag oder Währung der Zahlung passen nicht zur Bestellung.
error-PAYMENT_ID_REUSED = Diese Zahlung wurde für eine andere Bestellung erfasst.
error-INVOICE_NOT_FOUND = Diese Rechnung gibt es in Ihrem Konto nicht.
