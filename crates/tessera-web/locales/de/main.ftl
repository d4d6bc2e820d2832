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
