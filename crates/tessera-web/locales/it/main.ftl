# I testi dell'applicazione web, italiano. Le stesse chiavi di en/ e de/ (un test lo verifica).
skip-to-content = Vai al contenuto
nav-label = Menu principale
nav-sites = Impianti
language = Lingua
sign-out = Esci
never = mai

## Accesso
sign-in = Accedi
sign-in-kind = Come accedi
sign-in-tab-account = SUPERADMIN
sign-in-tab-site = ADMIN
sign-in-account-help = Il nome utente o l'indirizzo email dell'account, oppure il tuo nome utente se l'account ti ha creato come utente.
sign-in-site-help = Il nome utente e la password che ti ha dato il tuo account, e il codice del tuo impianto dalla mail di abilitazione.
sign-in-login = Nome utente o email
sign-in-username = Nome utente
sign-in-site-code = Codice impianto
password = Password
show-password = Mostra password
sign-in-refused = I dati di accesso non sono corretti. Controllali e riprova.
sign-in-throttled = Troppi tentativi. Attendi { $secs } secondi e riprova.

## Impianti
sites-title = Tutti gli impianti
filter-text = Cerca
filter-state = Stato licenza
filter-any = Tutti
filter-apply = Mostra
sort-by = Ordina per
sort-name = Nome
sort-state = Stato licenza
sort-check = Ultimo controllo
sites-count = { $n ->
    [one] Un impianto
   *[other] { $n } impianti
}
sites-none = Nessun impianto corrisponde.
col-site = Impianto
col-product = Prodotto
col-licence = Licenza
col-last-check = Ultimo controllo
col-expires = Scadenza licenza
pages = Pagine
page-previous = Precedente
page-next = Successiva
site-state-registered = registrato
site-state-active = attivo
site-state-deactivated = disattivato
site-state-suspended = sospeso

## Errori
error-title = Non è andata a buon fine
error-back = Torna all'inizio
error-CROSS_SITE_REQUEST = Questa richiesta non proviene da questa pagina. Ricarica la pagina e riprova.
error-RIGHT_REQUIRED = Il tuo utente non ha il diritto di farlo. L'amministratore dell'account può concedertelo.
error-SITE_NOT_FOUND = Questo impianto non esiste nel tuo account.
error-ROUTE_NOT_FOUND = Questa pagina non esiste.
error-TOO_MANY_REQUESTS = Troppe richieste. Attendi un momento e riprova.
error-INTERNAL = Qualcosa è andato storto da parte nostra. Riprova tra un momento.
