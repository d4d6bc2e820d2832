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
cloud-state = { $state } bis { $end }
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
