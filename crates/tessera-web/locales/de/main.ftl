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
filter-alarms = Alarme
filter-with-alarms = Nur mit Alarm
sort-alarms = Alarme
col-cloud = Cloud
col-services = Monatliche Dienste
col-alarms = Alarme
sync-not-enabled = Synchronisierung: nicht aktiviert
overview-cloud-state = { $state } bis { $end }
cloud-not-enabled = nicht aktiviert
subscription-trialing = Testphase
subscription-active = aktiv
subscription-expired = abgelaufen
subscription-maintenance = Wartung
subscription-blocked = gesperrt
subscription-deleted = gelöscht
lock-in-days = { $n ->
    [0] sperrt heute
    [one] sperrt in einem Tag
   *[other] sperrt in { $n } Tagen
}
alarm-check-overdue = { $n ->
    [0] Seit über zwei Tagen keine Prüfung: gesperrt
    [one] Seit über zwei Tagen keine Prüfung: sperrt in einem Tag
   *[other] Seit über zwei Tagen keine Prüfung: sperrt in { $n } Tagen
}
alarm-licence-ending = { $n ->
    [0] Lizenz endet heute
    [one] Lizenz endet morgen
   *[other] Lizenz endet in { $n } Tagen
}
alarm-subscription-ending = { $n ->
    [0] Cloud-Abonnement endet heute
    [one] Cloud-Abonnement endet morgen
   *[other] Cloud-Abonnement endet in { $n } Tagen
}
alarm-licence-mismatch = Lizenz passt nicht mehr zum Cloud-Abonnement
alarm-refused-payments = { $n ->
    [one] Eine Zahlung der letzten 30 Tage konnte ihrer Bestellung nicht zugeordnet werden. Der Anbieter erstattet sie oder ordnet sie von Hand zu.
   *[other] { $n } Zahlungen der letzten 30 Tage konnten ihren Bestellungen nicht zugeordnet werden. Der Anbieter erstattet sie oder ordnet sie von Hand zu.
}
charts-label = Diagramme
chart-validations = Erfolgreiche Prüfungen pro Tag, letzte 90 Tage
chart-validations-series = Prüfungen
chart-states = Standorte je Lizenzstatus, letzte 90 Tage

## Fehler
error-title = Das hat nicht geklappt
error-back = Zurück zum Anfang
error-CROSS_SITE_REQUEST = Diese Anfrage kam nicht von dieser Seite. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
error-RIGHT_REQUIRED = Ihr Benutzer hat nicht das Recht dazu. Der Administrator des Kontos kann es Ihnen geben.
error-SITE_NOT_FOUND = Diesen Standort gibt es in Ihrem Konto nicht.
error-ROUTE_NOT_FOUND = Diese Seite gibt es nicht.
error-TOO_MANY_REQUESTS = Zu viele Anfragen. Bitte warten Sie einen Moment.
error-INTERNAL = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.

## Registrierung
register = Registrieren
register-title = Registrierung
register-new-customer-title = Neukunde
register-new-customer = Sie haben einen Product Key, aber noch kein Konto? Registrieren Sie ihn: Sie geben Ihre Daten an und wählen Ihre Zugangsdaten.
register-have-account = Schon registriert?
register-steps = Schritte der Registrierung
register-step-key = Product Key prüfen
register-step-data = Ihre Daten
register-step-done = Fertig
key-help-title = Ihr Product Key
key-help-where = Sie finden ihn auf der Seite der Verpackung des USB-Schlüssels oder in der Lizenz-E-Mail, die Sie erhalten haben.
key-help-format = Ein Product Key hat 16 Zeichen in vier Vierergruppen, zum Beispiel { $example }. Groß- oder Kleinschreibung, Bindestriche und Leerzeichen spielen keine Rolle.
key-help-symbols = Er besteht aus den Ziffern 2 bis 9 und den Buchstaben A bis Z ohne I, L und O: Ein Key enthält nie 0, O, 1, I oder L, so lassen sich keine zwei Zeichen verwechseln.
key-help-check = Das letzte Zeichen ist ein Prüfzeichen, berechnet aus den anderen fünfzehn: Ein vertipptes Zeichen oder zwei vertauschte Nachbarn fallen sofort auf, noch bevor der Key nachgeschlagen wird.
key-field = Product Key
key-field-hint = 16 Zeichen, zum Beispiel { $example }
register-check-key = Key prüfen
register-key-ok = Dieser Product Key kann registriert werden:
register-other-key = Anderen Key verwenden
form-required-note = Mit * markierte Felder sind Pflichtfelder.
form-refused = Bitte prüfen Sie das Formular.
form-choose = Bitte wählen…
form-throttled = Zu viele Versuche. Bitte warten Sie { $secs } Sekunden und versuchen Sie es erneut.
register-section-account = 1. Konto
register-section-company = 2. Firmendaten
register-section-contact = 3. Ansprechpartner
register-section-reseller = 4. Händler
register-section-reseller-intro = Der Händler, bei dem Sie den Product Key gekauft haben.
register-section-privacy = 5. Datenschutz
register-username = Benutzername
register-username-hint = 3 bis 64 Zeichen: Buchstaben, Ziffern, „.“, „_“ oder „-“.
register-password-hint = Mindestens 12 Zeichen.
register-password-confirm = Passwort bestätigen
register-email = E-Mail
register-email-confirm = E-Mail bestätigen
register-language = Sprache unserer E-Mails
register-company-name = Firmenname
register-country = Land
register-country-hint = Sein zweistelliger Code, zum Beispiel IT oder DE.
register-region = Region
register-city = Ort
register-street = Straße
register-number = Hausnummer
register-postcode = Postleitzahl
register-vat = USt-IdNr.
register-vat-hint = Mit oder ohne Länderkennung, zum Beispiel IT00743110157.
register-sector = Branche
register-tanks = Anzahl der Tanks
register-drivers = Anzahl der Fahrer
register-vehicles = Anzahl der Fahrzeuge
register-fax = Fax
register-company-email = E-Mail-Adresse der Firma
register-commercial-info = Ich möchte Werbeinformationen erhalten
register-first-name = Vorname
register-last-name = Nachname
register-mobile = Mobiltelefon
register-phone = Telefon
register-privacy-text = Wir bewahren die Daten dieses Formulars auf, um Ihr Konto und Ihre Lizenzen zu führen, und verwenden sie für nichts anderes.
register-privacy-ip = Ihre Zustimmung wird mit der Uhrzeit und Ihrer IP-Adresse ({ $ip }) gespeichert.
register-privacy-accept = Ich habe die Datenschutzerklärung gelesen und stimme ihr zu
register-newsletter = Ich möchte den Newsletter abonnieren
register-submit = Registrieren
registered-title = Registrierung abgeschlossen
registered-mail = Ihr Konto { $username } ist angelegt. Eine Bestätigung wurde per E-Mail an { $email } gesendet.
registered-next = Melden Sie sich mit Ihrem Benutzernamen oder dieser E-Mail-Adresse an, um weitere Keys hinzuzufügen und Ihre Installationen zu verfolgen.
keys-add = Product Key hinzufügen
keys-title = Product Key hinzufügen
keys-intro = Registrieren Sie einen weiteren Product Key für Ihr Konto, mit dem Händler, bei dem Sie ihn gekauft haben. Seine Installation erscheint dann bei Ihren Standorten.
keys-section-reseller = Händler
keys-section-key = Product Key
keys-submit = Key registrieren
cancel = Abbrechen
country-AT = Österreich
country-BE = Belgien
country-BG = Bulgarien
country-CH = Schweiz
country-CY = Zypern
country-CZ = Tschechien
country-DE = Deutschland
country-DK = Dänemark
country-EE = Estland
country-ES = Spanien
country-FI = Finnland
country-FR = Frankreich
country-GB = Vereinigtes Königreich
country-GR = Griechenland
country-HR = Kroatien
country-HU = Ungarn
country-IE = Irland
country-IT = Italien
country-LT = Litauen
country-LU = Luxemburg
country-LV = Lettland
country-MT = Malta
country-NL = Niederlande
country-PL = Polen
country-PT = Portugal
country-RO = Rumänien
country-SE = Schweden
country-SI = Slowenien
country-SK = Slowakei
country-US = Vereinigte Staaten
error-KEY_FORMAT_INVALID = Das ist kein Product Key: Ein Key hat 16 Zeichen, die Ziffern 2 bis 9 und die Buchstaben A bis Z ohne I, L und O.
error-KEY_CHECKSUM_INVALID = Der Product Key ist vertippt: Sein Prüfzeichen passt nicht. Vergleichen Sie jedes Zeichen mit der Verpackung oder der E-Mail.
error-KEY_INVALID = Dieser Product Key kann nicht registriert werden: Er ist unbekannt, gesperrt oder bereits registriert.
error-USERNAME_INVALID = Ein Benutzername hat 3 bis 64 Zeichen: Buchstaben, Ziffern, „.“, „_“ oder „-“.
error-USERNAME_TAKEN = Dieser Benutzername ist vergeben. Bitte wählen Sie einen anderen.
error-EMAIL_INVALID = Das ist keine E-Mail-Adresse.
error-EMAIL_TAKEN = Es gibt bereits ein Konto mit dieser E-Mail-Adresse. Melden Sie sich dort an oder setzen Sie sein Passwort zurück.
error-EMAIL_MISMATCH = Die beiden E-Mail-Adressen stimmen nicht überein.
error-PASSWORD_TOO_SHORT = Das Passwort ist zu kurz: Es braucht mindestens 12 Zeichen.
error-PASSWORD_TOO_LONG = Das Passwort ist zu lang.
error-PASSWORD_MISMATCH = Die beiden Passwörter stimmen nicht überein.
error-VAT_NUMBER_INVALID = Das ist keine USt-IdNr. des gewählten Landes.
error-VAT_NUMBER_TAKEN = Es gibt bereits ein Konto mit dieser USt-IdNr.
error-VAT_COUNTRY_MISMATCH = Die USt-IdNr. trägt die Kennung eines anderen Landes als des gewählten.
error-VAT_COUNTRY_UNSUPPORTED = USt-IdNrn. dieses Landes können nicht geprüft werden. Bitte wählen Sie ein Land aus der Liste.
error-PRIVACY_NOT_ACCEPTED = Bitte lesen Sie die Datenschutzerklärung und stimmen Sie ihr zu, um sich zu registrieren.
error-FIELD_REQUIRED = Bitte füllen Sie dieses Feld aus.
error-FIELD_TOO_LONG = Das ist zu lang.
error-FIELD_INVALID = Das enthält Zeichen, die nicht erlaubt sind.
error-PHONE_INVALID = Eine Telefonnummer hat mindestens 5 Ziffern und nur Ziffern, Leerzeichen und + - / ( ).
error-COUNTRY_INVALID = Bitte wählen Sie ein Land oder geben Sie seinen zweistelligen Code an (zum Beispiel IT oder DE).
error-INVALID_COUNT = Eine ganze Zahl von 0 bis 1.000.000.
error-LANGUAGE_UNSUPPORTED = Bitte wählen Sie Englisch, Deutsch oder Italienisch.
error-CONTROL_CHARACTER = Das Formular enthält Steuerzeichen, die nicht erlaubt sind. Bitte geben Sie den Text erneut ein.

## Passwort zurücksetzen
sign-in-forgot = Passwort vergessen?
reset-title = Passwort zurücksetzen
reset-intro = Geben Sie die E-Mail-Adresse Ihres Kontos an. Wir senden Ihnen einen Code, mit dem Sie ein neues Passwort festlegen.
reset-email = E-Mail
reset-send = Code senden
reset-have-code = Ich habe schon einen Code
reset-back = Zurück zur Anmeldung
reset-sent = Wenn { $email } zu einem Konto gehört, haben wir einen Code dorthin gesendet. Er gilt einmal, innerhalb von { $minutes } Minuten.
reset-code-intro = Geben Sie den Code aus der E-Mail und Ihr neues Passwort ein.
reset-code = Code aus der E-Mail
reset-new-password = Neues Passwort
reset-new-password-confirm = Neues Passwort bestätigen
reset-set = Neues Passwort festlegen
reset-no-code = Keine E-Mail? Sehen Sie im Spam-Ordner nach: Vielleicht ist sie dort gelandet.
reset-again = Einen neuen Code anfordern
reset-done-title = Passwort geändert
reset-done = Ihr Passwort ist geändert. Alle Sitzungen Ihres Kontos wurden beendet: Melden Sie sich mit dem neuen Passwort wieder an.
error-RESET_TOKEN_INVALID = Dieser Code funktioniert nicht: Er ist vertippt, schon verwendet oder älter als eine Stunde. Fordern Sie einen neuen an.
## Standortseite
site-back-to-sites = ← Alle Standorte
site-back-to = ← Zurück zu { $label }
site-edit = Bearbeiten
site-save = Speichern
form-optional = optional
site-cancel = Abbrechen
site-data = Kenndaten
site-data-none = Das Programm des Standorts hat seine Daten noch nicht gesendet.
site-company = Firma
site-branch = Filiale
site-address = Adresse
site-zip = PLZ
site-locality = Ort
site-province = Provinz
site-nation = Land
site-nation-hint = Zwei Buchstaben, etwa IT oder DE.
site-representative = Ansprechpartner
site-representative-name = Vorname des Ansprechpartners
site-representative-surname = Nachname des Ansprechpartners
site-representative-email = E-Mail des Ansprechpartners
site-representative-email-hint = An diese Adresse gehen die Cloud-Aktivierungsdaten des Standorts.
site-data-edit = Kenndaten ändern
site-data-edit-intro = Der Name des Standorts in allen Listen folgt Firma, Filiale und Ort.
site-licence = Lizenz
site-key = Produktschlüssel
site-status = Status
site-activated = Aktiviert
site-technical = Techniker und Ladepunkte
site-technician = Techniker
site-technician-none = Noch kein Techniker hinterlegt.
site-technician-name = Name des Technikers
site-technician-phone = Telefon des Technikers
site-technician-email = E-Mail des Technikers
site-evse-ids = Ladepunkte (EVSE IDs)
site-evse-none = Noch keine Ladepunkte eingetragen.
site-evse-ids-hint = Eine pro Zeile, etwa DE*ABC*E123456*1.
site-evse-refused = { $id }: { $message }
site-technical-edit = Techniker und Ladepunkte ändern
site-technical-edit-intro = Der Techniker wird gerufen, wenn sich eine Störung nicht per Fernzugriff beheben lässt. Lassen Sie die drei Felder des Technikers leer, wenn es keinen gibt.
site-cloud = Cloud
site-cloud-enabled = Dieser Standort ist für die Cloud freigegeben.
site-cloud-resend = Aktivierungsdaten erneut senden
site-cloud-resend-help = Der Standortcode und ein neuer Aktivierungscode gehen an { $email }. Der bisherige Aktivierungscode gilt dann nicht mehr; ein bereits verbundenes Programm bleibt verbunden.
site-services = Betriebsführung
site-services-rule = Die Verrechnung beginnt mit dem Tag der Aktivierung: Der Monat der Aktivierung wird voll verrechnet, egal an welchem Tag; der Monat der Deaktivierung wird nicht verrechnet. Jede Änderung wird per E-Mail bestätigt.
site-services-no-switch = Zum Aktivieren und Deaktivieren braucht es das Recht, Aktionen mit Folgekosten freizugeben.
site-services-none = Noch keine Dienste im Angebot.
site-service-on = aktiv
site-service-off = nicht aktiv
site-service-price = { $price } pro Monat
site-service-since = aktiv seit { $date }
site-service-switch-on = Jetzt aktivieren
site-service-switch-off = Betriebsführung beenden
site-service-confirm-on = { $name } für diesen Standort aktivieren?
site-service-rule-on = Das kostet { $price } pro Monat, verrechnet ab heute: Dieser Monat wird voll verrechnet, egal an welchem Tag, und der Monat, in dem Sie den Dienst beenden, wird nicht verrechnet. Das Konto erhält eine Bestätigung per E-Mail.
site-service-confirm-on-button = Für { $price } pro Monat aktivieren
site-service-confirm-off = { $name } für diesen Standort beenden?
site-service-rule-off = Der Dienst endet sofort, und dieser Monat wird nicht verrechnet. Das Konto erhält eine Bestätigung per E-Mail.
site-service-confirm-off-button = Jetzt beenden
site-users = Benutzer dieses Standorts
site-users-help = Sie melden sich als ADMIN mit Benutzername, Passwort und Standortcode an und sehen nur diesen Standort, mit den Rechten ihrer Gruppen.
site-users-none = Dieser Standort hat noch keine Benutzer.
site-user-remove = Entfernen
site-user-remove-named = { $name } entfernen
site-user-new = Neuer Benutzer
site-user-username = Benutzername
site-user-password-hint = Mindestens { $n } Zeichen.
site-user-groups = Gruppen (der Benutzer erhält ihre Rechte)
site-user-add = Benutzer anlegen
site-operations = Letzte Vorgänge
site-operations-all = Alle Vorgänge dieses Standorts
site-operations-none = Für diesen Standort ist noch nichts aufgezeichnet.
site-op-at = Wann
site-op-actor = Wer
site-op-operation = Was
site-op-outcome = Ergebnis
site-op-ok = erledigt
site-op-refused = abgelehnt
site-op-failed = fehlgeschlagen
site-done-data = Die Kenndaten sind gespeichert.
site-done-technical = Techniker und Ladepunkte sind gespeichert.
site-done-codes = Die Aktivierungsdaten sind an den Ansprechpartner des Standorts unterwegs.
site-done-user-added = Der Benutzer ist angelegt.
site-done-user-removed = Der Benutzer ist entfernt; seine Sitzungen sind beendet.
site-done-service-on = Aktiviert. Das Konto erhält eine Bestätigung per E-Mail.
site-done-service-off = Beendet. Das Konto erhält eine Bestätigung per E-Mail.
error-EVSE_ID_INVALID = Das ist keine EVSE ID; eine sieht aus wie DE*ABC*E123456*1.
error-EVSE_ID_TAKEN = Ein anderer Standort führt bereits einen dieser Ladepunkte.
error-TOO_MANY_EVSE_IDS = Ein Standort führt höchstens 500 Ladepunkte.
error-SERVICE_ALREADY_ON = Der Dienst ist an diesem Standort bereits aktiv.
error-SERVICE_NOT_ON = Der Dienst ist an diesem Standort nicht aktiv.
error-SERVICE_NOT_FOUND = Diesen Dienst gibt es nicht.
error-SITE_NOT_ACTIVE = Das Programm des Standorts ist auf keinem Rechner aktiviert; seine Dienste lassen sich daher nicht schalten.
error-SITE_EMAIL_MISSING = Der Standort hat noch keine E-Mail des Ansprechpartners: Sein Programm sendet sie mit den Standortdaten.
error-USER_NOT_FOUND = Diesen Benutzer gibt es nicht.
error-USER_DISABLED = Dieser Benutzer ist deaktiviert. Der Administrator des Kontos kann ihn wieder aktivieren.
error-GROUP_NOT_FOUND = Diese Gruppe gibt es nicht.
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
error-TERMS_NOT_ACCEPTED = Bitte akzeptieren Sie die Geschäftsbedingungen, um fortzufahren.
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
error-VAT_RATE_UNKNOWN = Der Anbieter hat für dieses Land noch keinen Mehrwertsteuersatz festgelegt. Wenden Sie sich an den Anbieter.
error-BILLING_NOT_CONFIGURED = Der Anbieter hat die Rechnungsstellung noch nicht eingerichtet, daher kann derzeit nichts bestellt werden.
error-PAYMENTS_NOT_CONFIGURED = Der Anbieter hat die Zahlungen noch nicht eingerichtet.
error-ORDER_NOT_FOUND = Diese Bestellung gibt es in Ihrem Konto nicht.
error-ORDER_ALREADY_PAID = Die Bestellung ist bereits bezahlt.
error-ORDER_CANCELLED = Die Bestellung wurde storniert.
error-ORDER_EXPIRED = Die Bestellung wurde nicht rechtzeitig bezahlt und ist abgelaufen. Bestellen Sie neu.
error-AMOUNT_MISMATCH = Betrag oder Währung der Zahlung passen nicht zur Bestellung.
error-PAYMENT_ID_REUSED = Diese Zahlung wurde für eine andere Bestellung erfasst.
error-INVOICE_NOT_FOUND = Diese Rechnung gibt es in Ihrem Konto nicht.

## Users, groups and rights
nav-users = Benutzer
users-title = Benutzer und Gruppen
users-groups = Gruppen
users-groups-help = Rechte werden Gruppen zugewiesen: Wer in einer Gruppe ist, hat ihre Rechte. Öffnen Sie eine Gruppe, um ihre Rechte ein- oder auszuschalten und ihre Mitglieder zu wählen.
users-groups-none = Es gibt noch keine Gruppen.
users-col-group = Gruppe
users-col-rights = Rechte
users-col-members = Mitglieder
users-group-members = { $n ->
    [one] Ein Mitglied
   *[other] { $n } Mitglieder
}
users-no-rights = noch keine Rechte
users-group-new = Neue Gruppe
users-group-name = Name der Gruppe
users-group-create = Gruppe anlegen
users-users = Benutzer
users-users-help = Benutzer melden sich auf dem Konto-Tab der Anmeldeseite mit Benutzername und Passwort an und haben die Rechte ihrer Gruppen.
users-users-none = Es gibt noch keine Benutzer.
users-user-groups-none = in keiner Gruppe
users-user-remove = Entfernen
users-user-remove-named = { $name } entfernen
users-user-disabled = deaktiviert
users-user-disabled-since = Deaktiviert seit { $when }: kann sich nicht anmelden.
users-user-disable = Deaktivieren
users-user-disable-named = { $name } deaktivieren
users-user-enable = Aktivieren
users-user-enable-named = { $name } aktivieren
users-user-new = Neuer Benutzer
users-username = Benutzername
users-password = Passwort
users-password-confirm = Passwort wiederholen
users-password-hint = Mindestens { $n } Zeichen.
users-user-groups = Gruppen (der Benutzer erhält ihre Rechte)
users-user-add = Benutzer anlegen
users-done-user-added = Der Benutzer ist angelegt und kann sich jetzt anmelden.
users-done-user-removed = Der Benutzer ist entfernt; seine Sitzungen sind beendet.
users-done-user-disabled = Der Benutzer ist deaktiviert: Seine Sitzungen sind beendet, und er kann sich erst wieder anmelden, wenn er aktiviert wird.
users-done-user-enabled = Der Benutzer ist wieder aktiviert und kann sich mit seinem Passwort anmelden.
users-done-group-created = Die Gruppe ist angelegt. Schalten Sie ihre Rechte ein und wählen Sie ihre Mitglieder.
users-done-group-renamed = Die Gruppe ist umbenannt.
users-done-group-removed = Die Gruppe ist entfernt. Ihre Mitglieder behalten die Rechte ihrer anderen Gruppen.
users-done-members-saved = Die Mitglieder sind gespeichert.
users-done-right-on = Eingeschaltet: Die Mitglieder der Gruppe haben dieses Recht ab ihrem nächsten Klick.
users-done-right-off = Ausgeschaltet: Die Mitglieder der Gruppe verlieren dieses Recht ab ihrem nächsten Klick.
group-back = Zurück zu Benutzern und Gruppen
group-kind = Gruppe
group-rights = Rechteverwaltung
group-rights-help = Schalten Sie ein Recht auf ON, um es allen in der Gruppe zu geben, auf OFF, um es zurückzunehmen.
group-right-on = ON
group-right-off = OFF
group-members = Mitglieder
group-members-help = Haken Sie an, wer zur Gruppe gehört, und speichern Sie.
group-members-users = Benutzer des Kontos
group-members-site-users = Benutzer der Standorte
group-members-none = Es gibt noch keine Benutzer zur Auswahl: Legen Sie sie unter Benutzer an oder auf der Seite eines Standorts.
group-members-save = Mitglieder speichern
group-settings = Name und Entfernen
group-rename = Umbenennen
group-remove = Gruppe entfernen
group-remove-help = Ihre Mitglieder bleiben, mit den Rechten ihrer anderen Gruppen.
right-sites-operations-view = Tab „Betriebsführung“
right-sites-operations-view-help = Aktiviert den Tab „Betriebsführung“ am Stationsdatenblatt: die monatlichen Services der Station, wo sie geschaltet werden.
right-operations-view = Vorgangsprotokoll
right-operations-view-help = Liest das Vorgangsprotokoll des Kontos (ein Standortbenutzer: seines Standorts) und exportiert es als CSV.
right-actions-costly-approve = Kostenfreigabe
right-actions-costly-approve-help = Kann Aktionen freigeben, welche Folgekosten mit sich bringen, etwa einen kostenpflichtigen Service ein- oder ausschalten (mit dem Tab „Betriebsführung“).
right-sites-technical-edit = Techniker und Ladepunkte
right-sites-technical-edit-help = Bearbeitet den Technikerkontakt und die Ladepunkte (EVSE-IDs) eines Standorts.
right-invoices-view = Rechnungen
right-invoices-view-help = Sieht die Rechnungen und Rechnungsposten des Kontos.
right-sites-manage = Standorte und Schlüssel
right-sites-manage-help = Fügt Produktschlüssel hinzu, ändert die Stammdaten eines Standorts, gibt Installationen frei und schaltet Standorte für die Cloud frei.
right-users-manage = Benutzerverwaltung
right-users-manage-help = Legt Benutzer und Gruppen an und entfernt sie, schaltet die Rechte der Gruppen und gibt Standorten ihre Benutzer.
right-sync-conflicts-resolve = Synchronisierungskonflikte
right-sync-conflicts-resolve-help = Entscheidet die Konflikte der Cloud-Synchronisierung: behält die Daten der Cloud, die des Standorts oder bearbeitete.
error-GROUP_EXISTS = Das Konto hat schon eine Gruppe mit diesem Namen.
error-RIGHT_UNKNOWN = Dieses Recht gibt es nicht.

## Operations log
nav-operations = Vorgänge
ops-title = Vorgangsprotokoll
ops-help = Jede Änderung im Konto: wer sie vorgenommen hat, was, wann, an welchem Standort und mit welchem Ergebnis.
ops-help-site = Jede Änderung an Ihrem Standort: wer sie vorgenommen hat, was, wann und mit welchem Ergebnis.
ops-filters = Vorgänge filtern
ops-col-site = Standort
ops-operation-hint = Ein Teil davon, etwa services oder DELETE.
ops-from = Von
ops-to = Bis
ops-clear = Filter zurücksetzen
ops-shown = { $n ->
    [one] Der letzte Vorgang
   *[other] Die letzten { $n } Vorgänge
}
ops-shown-older = { $n ->
    [one] Ein älterer Vorgang
   *[other] { $n } ältere Vorgänge
}
ops-export = CSV exportieren
ops-none = Kein Vorgang passt.
ops-newest = Neueste
ops-older = Ältere
error-INVALID_TIMESTAMP = Das ist kein Datum.
error-OUTCOME_INVALID = Wählen Sie erledigt, abgelehnt oder fehlgeschlagen.
error-INVALID_QUERY = Ein Filter ist zu lang.
op-sign-in = Anmeldung für Betreiber
op-sign-in-help = Die Konsole für die Mitarbeiter des Herstellers. Kunden melden sich auf der Kundenanmeldung an.
op-nav-catalog = Katalog
op-nav-plans = Tarife
op-catalog-title = Katalog
op-catalog-back = ← Alle Produkte
op-products = Produkte
op-products-none = Es gibt noch keine Produkte.
op-product-code = Code
op-code-hint = Kleinbuchstaben, Ziffern und Bindestriche; er ändert sich nie.
op-product-name = Name
op-product-grace-days = Tage ohne Prüfung, bevor der Client sperrt
op-product-grace-days-hint = 1 bis 365; 10, wenn leer.
op-product-max-transfers = Umzüge auf einen anderen Rechner ohne vorherige Deaktivierung
op-product-max-transfers-hint = 0 bis 1000; 0, wenn leer (vorher deaktivieren).
op-product-new = Neues Produkt
op-product-create = Produkt anlegen
op-product-policy = Sperrt nach { $grace ->
    [one] einem Tag
   *[other] { $grace } Tagen
} ohne Prüfung · { $transfers ->
    [0] keine Umzüge ohne Deaktivierung
    [one] ein Umzug ohne Deaktivierung
   *[other] { $transfers } Umzüge ohne Deaktivierung
}
op-editions = Editionen
op-editions-help = Die niedrigste zuerst; eine neue Edition steht über den vorhandenen.
op-sizes = Größen
op-modules = Module
op-policy = Lizenzregeln
op-none-yet = Noch keine.
op-entry-code = Code
op-entry-name = Name
op-size-limits = Grenzen
op-size-limits-hint = Name=Zahl, durch Kommas getrennt: drivers=5, users=10
op-add-edition = Edition hinzufügen
op-add-size = Größe hinzufügen
op-add-module = Modul hinzufügen
op-add = Hinzufügen
op-done-edition = Die Edition wurde hinzugefügt.
op-done-size = Die Größe wurde hinzugefügt.
op-done-module = Das Modul wurde hinzugefügt.
op-plans-title = Tarife
op-plans = Angebotene Tarife
op-plans-none = Es gibt noch keine Tarife.
op-plan-code = Code
op-plan-name = Name
op-plan-service = Dienst
op-plan-service-hint = Ein Konto hat ein Abonnement je Dienst: cloud für den Cloud-Dienst.
op-plan-article = Artikelnummer
op-plan-price = Preis je Standort und Laufzeit
op-plan-price-hint = Ein Betrag wie 300.00, ohne MwSt.
op-plan-currency = Währung
op-plan-period = Monate einer bezahlten Laufzeit
op-plan-trial-months = Monate der kostenlosen Testphase (0: keine)
op-plan-trial-sites = Standorte, die die Testphase freischalten darf
op-plan-product = Produkt
op-plan-bundles = Abgedeckte Editionen und Größen
op-plan-bundles-hint = Edition/Größe, durch Kommas getrennt: standard/small, premium/large
op-plan-trial-col = Testphase
op-plan-price-per = { $price } je Standort für { $months } Monate
op-plan-no-trial = keine Testphase
op-plan-trial = { $months ->
    [one] ein Monat
   *[other] { $months } Monate
}, bis zu { $sites ->
    [one] ein Standort
   *[other] { $sites } Standorte
}
op-plan-new = Neuer Tarif
op-plan-create = Tarif hinzufügen
op-done-plan = Der Tarif wurde hinzugefügt.
op-nav-keys = Produktschlüssel
op-keys-title = Produktschlüssel
op-keys-back = ← Produktschlüssel
op-key-find = Schlüssel suchen
op-key = Produktschlüssel
op-key-find-button = Suchen
op-key-not-found = Ein solcher Schlüssel wurde nicht ausgegeben.
op-batches = Chargen
op-batches-none = Es wurde noch keine Charge bestellt.
op-batch = Charge
op-batch-kind = Produkt, Edition und Größe
op-batch-keys = Schlüssel
op-batch-note = Notiz
op-batch-note-hint = Für wen, z. B. der Händler und seine Bestellung.
op-batch-made = Bestellt
op-batch-count = Anzahl der Schlüssel
op-batch-order = Charge bestellen
op-batch-order-button = Schlüssel bestellen
op-batch-progress = { $done } von { $all } Schlüsseln erzeugt
op-batch-csv = Schlüssel herunterladen (CSV)
op-batch-fill = Nächste Schlüssel erzeugen
op-key-state = Der Schlüssel
op-key-status = Zustand
op-key-status-issued = ausgegeben, noch nicht registriert
op-key-status-registered = bei einem Konto registriert
op-key-status-activated = an einem Standort aktiviert
op-key-status-revoked = gesperrt
op-key-installation = Installation
op-key-account = Konto
op-key-not-registered = noch nicht registriert
op-key-revoke = Schlüssel sperren
op-key-revoke-help = Ein gesperrter Schlüssel funktioniert ab der nächsten Prüfung am Standort nicht mehr und kann nie wieder verwendet werden. Der Grund bleibt in seinem Verlauf.
op-key-reason = Grund
op-key-revoke-button = Sperren
op-key-edition-change = Edition ändern
op-key-edition = Neue Edition
op-key-edition-button = Edition ändern
op-key-done-revoked = Der Schlüssel wurde gesperrt.
op-key-done-edition = Die Edition wurde geändert.
op-key-history = Verlauf
op-when = Wann
op-what = Was
op-who = Wer
op-detail = Einzelheiten
