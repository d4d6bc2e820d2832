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
filter-alarms = Allarmi
filter-with-alarms = Solo con allarmi
sort-alarms = Allarmi
col-cloud = Cloud
col-services = Servizi mensili
col-alarms = Allarmi
sync-not-enabled = Sincronizzazione: non attiva
cloud-state = { $state } fino al { $end }
cloud-not-enabled = non attivo
subscription-trialing = prova
subscription-active = attivo
subscription-expired = scaduto
subscription-maintenance = manutenzione
subscription-blocked = bloccato
subscription-deleted = eliminato
lock-in-days = { $n ->
    [0] si blocca oggi
    [one] si blocca tra un giorno
   *[other] si blocca tra { $n } giorni
}
alarm-check-overdue = { $n ->
    [0] Nessun controllo da oltre due giorni: bloccato
    [one] Nessun controllo da oltre due giorni: si blocca tra un giorno
   *[other] Nessun controllo da oltre due giorni: si blocca tra { $n } giorni
}
alarm-licence-ending = { $n ->
    [0] La licenza scade oggi
    [one] La licenza scade domani
   *[other] La licenza scade tra { $n } giorni
}
alarm-subscription-ending = { $n ->
    [0] L'abbonamento cloud scade oggi
    [one] L'abbonamento cloud scade domani
   *[other] L'abbonamento cloud scade tra { $n } giorni
}
alarm-licence-mismatch = La licenza non corrisponde più all'abbonamento cloud
alarm-refused-payments = { $n ->
    [one] Un pagamento degli ultimi 30 giorni non è stato applicato al suo ordine. Il fornitore lo rimborserà o lo applicherà a mano.
   *[other] { $n } pagamenti degli ultimi 30 giorni non sono stati applicati ai loro ordini. Il fornitore li rimborserà o li applicherà a mano.
}
charts-label = Grafici
chart-validations = Controlli riusciti al giorno, ultimi 90 giorni
chart-validations-series = Controlli
chart-states = Impianti per stato della licenza, ultimi 90 giorni

## Errori
error-title = Non è andata a buon fine
error-back = Torna all'inizio
error-CROSS_SITE_REQUEST = Questa richiesta non proviene da questa pagina. Ricarica la pagina e riprova.
error-RIGHT_REQUIRED = Il tuo utente non ha il diritto di farlo. L'amministratore dell'account può concedertelo.
error-SITE_NOT_FOUND = Questo impianto non esiste nel tuo account.
error-ROUTE_NOT_FOUND = Questa pagina non esiste.
error-TOO_MANY_REQUESTS = Troppe richieste. Attendi un momento e riprova.
error-INTERNAL = Qualcosa è andato storto da parte nostra. Riprova tra un momento.
