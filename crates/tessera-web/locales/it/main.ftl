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
overview-cloud-state = { $state } fino al { $end }
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

## Registrazione
register = Registrati
register-title = Registrazione
register-new-customer-title = Nuovo cliente
register-new-customer = Hai un product key ma non ancora un account? Registralo: inserisci i tuoi dati e scegli le tue credenziali di accesso.
register-have-account = Già registrato?
register-steps = Passi della registrazione
register-step-key = Verifica del product key
register-step-data = I tuoi dati
register-step-done = Fatto
key-help-title = Il tuo product key
key-help-where = Si trova sul lato della confezione della chiave USB, oppure nella mail di licenza che hai ricevuto.
key-help-format = Un product key ha 16 simboli in quattro gruppi di quattro, per esempio { $example }. Maiuscole o minuscole, trattini e spazi non contano.
key-help-symbols = È scritto con le cifre da 2 a 9 e le lettere dalla A alla Z senza I, L e O: un key non contiene mai 0, O, 1, I o L, così nessun simbolo si confonde con un altro.
key-help-check = L'ultimo simbolo è un simbolo di controllo, calcolato dagli altri quindici: un simbolo digitato male, o due vicini scambiati, si nota subito, prima ancora di cercare il key.
key-field = Product key
key-field-hint = 16 simboli, per esempio { $example }
register-check-key = Verifica il key
register-key-ok = Questo product key si può registrare:
register-other-key = Usa un altro key
form-required-note = I campi contrassegnati da * sono obbligatori.
form-refused = Controlla il modulo.
form-choose = Scegli…
form-throttled = Troppi tentativi. Attendi { $secs } secondi e riprova.
register-section-account = 1. Account
register-section-company = 2. Azienda
register-section-contact = 3. Referente
register-section-reseller = 4. Rivenditore
register-section-reseller-intro = Il rivenditore da cui hai acquistato il product key.
register-section-privacy = 5. Privacy
register-username = Nome utente
register-username-hint = Da 3 a 64 caratteri: lettere, cifre, '.', '_' o '-'.
register-password-hint = Almeno 12 caratteri.
register-password-confirm = Conferma password
register-email = Email
register-email-confirm = Conferma email
register-language = Lingua delle nostre mail
register-company-name = Ragione sociale
register-country = Paese
register-country-hint = Il suo codice di due lettere, per esempio IT o DE.
register-region = Regione
register-city = Città
register-street = Via
register-number = Numero civico
register-postcode = CAP
register-vat = Partita IVA
register-vat-hint = Con o senza il prefisso del paese, per esempio IT00743110157.
register-sector = Settore
register-tanks = Numero di serbatoi
register-drivers = Numero di autisti
register-vehicles = Numero di veicoli
register-fax = Fax
register-company-email = Email aziendale
register-commercial-info = Desidero ricevere informazioni commerciali
register-first-name = Nome
register-last-name = Cognome
register-mobile = Cellulare
register-phone = Telefono
register-privacy-text = Conserviamo i dati di questo modulo per gestire il tuo account e le tue licenze, e non li usiamo per altro.
register-privacy-ip = Il tuo consenso viene registrato con l'ora e il tuo indirizzo IP ({ $ip }).
register-privacy-accept = Ho letto l'informativa sulla privacy e la accetto
register-newsletter = Desidero iscrivermi alla newsletter
register-submit = Registrati
registered-title = Registrazione completata
registered-mail = Il tuo account { $username } è stato creato. Una mail di conferma è stata inviata a { $email }.
registered-next = Accedi con il tuo nome utente o con questo indirizzo email per aggiungere altri key e seguire le tue installazioni.
keys-add = Aggiungi un product key
keys-title = Aggiungi un product key
keys-intro = Registra un altro product key nel tuo account, con il rivenditore da cui lo hai acquistato. La sua installazione compare poi tra i tuoi impianti.
keys-section-reseller = Rivenditore
keys-section-key = Product key
keys-submit = Registra il key
cancel = Annulla
country-AT = Austria
country-BE = Belgio
country-BG = Bulgaria
country-CH = Svizzera
country-CY = Cipro
country-CZ = Cechia
country-DE = Germania
country-DK = Danimarca
country-EE = Estonia
country-ES = Spagna
country-FI = Finlandia
country-FR = Francia
country-GB = Regno Unito
country-GR = Grecia
country-HR = Croazia
country-HU = Ungheria
country-IE = Irlanda
country-IT = Italia
country-LT = Lituania
country-LU = Lussemburgo
country-LV = Lettonia
country-MT = Malta
country-NL = Paesi Bassi
country-PL = Polonia
country-PT = Portogallo
country-RO = Romania
country-SE = Svezia
country-SI = Slovenia
country-SK = Slovacchia
country-US = Stati Uniti
error-KEY_FORMAT_INVALID = Questo non è un product key: un key ha 16 simboli, le cifre da 2 a 9 e le lettere dalla A alla Z senza I, L e O.
error-KEY_CHECKSUM_INVALID = Il product key è digitato male: il simbolo di controllo non corrisponde. Confronta ogni simbolo con la confezione o la mail.
error-KEY_INVALID = Questo product key non si può registrare: è sconosciuto, revocato o già registrato.
error-USERNAME_INVALID = Un nome utente ha da 3 a 64 caratteri: lettere, cifre, '.', '_' o '-'.
error-USERNAME_TAKEN = Questo nome utente è già in uso. Scegline un altro.
error-EMAIL_INVALID = Questo non è un indirizzo email.
error-EMAIL_TAKEN = Esiste già un account con questo indirizzo email. Accedi a quello, oppure reimpostane la password.
error-EMAIL_MISMATCH = I due indirizzi email sono diversi.
error-PASSWORD_TOO_SHORT = La password è troppo corta: servono almeno 12 caratteri.
error-PASSWORD_TOO_LONG = La password è troppo lunga.
error-PASSWORD_MISMATCH = Le due password sono diverse.
error-VAT_NUMBER_INVALID = Questa non è una partita IVA del paese scelto.
error-VAT_NUMBER_TAKEN = Esiste già un account con questa partita IVA.
error-VAT_COUNTRY_MISMATCH = La partita IVA porta il prefisso di un paese diverso da quello scelto.
error-VAT_COUNTRY_UNSUPPORTED = Le partite IVA di questo paese non si possono verificare. Scegli un paese dall'elenco.
error-PRIVACY_NOT_ACCEPTED = Per registrarti, leggi e accetta l'informativa sulla privacy.
error-FIELD_REQUIRED = Compila questo campo.
error-FIELD_TOO_LONG = È troppo lungo.
error-FIELD_INVALID = Contiene caratteri non ammessi.
error-PHONE_INVALID = Un numero di telefono ha almeno 5 cifre, e solo cifre, spazi e + - / ( ).
error-COUNTRY_INVALID = Scegli un paese, oppure indica il suo codice di due lettere (per esempio IT o DE).
error-INVALID_COUNT = Un numero intero da 0 a 1.000.000.
error-LANGUAGE_UNSUPPORTED = Scegli inglese, tedesco o italiano.
error-CONTROL_CHARACTER = Il modulo contiene caratteri di controllo, che non sono ammessi. Digita di nuovo il testo.

## Reimpostazione della password
sign-in-forgot = Password dimenticata?
reset-title = Reimposta la password
reset-intro = Indica l'indirizzo email del tuo account. Ti inviamo un codice per impostare una nuova password.
reset-email = Email
reset-send = Invia il codice
reset-have-code = Ho già un codice
reset-back = Torna all'accesso
reset-sent = Se { $email } appartiene a un account, gli abbiamo inviato un codice. Vale una sola volta, entro { $minutes } minuti.
reset-code-intro = Inserisci il codice ricevuto per mail e la nuova password.
reset-code = Codice dalla mail
reset-new-password = Nuova password
reset-new-password-confirm = Conferma la nuova password
reset-set = Imposta la nuova password
reset-no-code = Nessuna mail? Controlla la cartella dello spam: potrebbe essere finita lì.
reset-again = Chiedi un nuovo codice
reset-done-title = Password cambiata
reset-done = La tua password è cambiata. Tutte le sessioni del tuo account sono terminate: accedi di nuovo con la nuova password.
error-RESET_TOKEN_INVALID = Questo codice non funziona: è digitato male, già usato o più vecchio di un'ora. Chiedine uno nuovo.
## Pagina dell'impianto
site-back-to-sites = ← Tutti gli impianti
site-back-to = ← Torna a { $label }
site-edit = Modifica
site-save = Salva
form-optional = facoltativo
site-cancel = Annulla
site-data = Dati identificativi
site-data-none = Il programma dell'impianto non ha ancora inviato i suoi dati.
site-company = Ragione sociale
site-branch = Filiale
site-address = Indirizzo
site-zip = CAP
site-locality = Località
site-province = Provincia
site-nation = Nazione
site-nation-hint = Due lettere, per esempio IT o DE.
site-representative = Referente
site-representative-name = Nome del referente
site-representative-surname = Cognome del referente
site-representative-email = Email del referente
site-representative-email-hint = A questo indirizzo vengono inviati i dati di attivazione cloud dell'impianto.
site-data-edit = Modifica i dati identificativi
site-data-edit-intro = Il nome dell'impianto in tutti gli elenchi segue ragione sociale, filiale e località.
site-licence = Licenza
site-key = Codice prodotto
site-status = Stato
site-activated = Attivato
site-technical = Tecnico e punti di ricarica
site-technician = Tecnico
site-technician-none = Nessun tecnico indicato.
site-technician-name = Nome del tecnico
site-technician-phone = Telefono del tecnico
site-technician-email = Email del tecnico
site-evse-ids = Punti di ricarica (EVSE ID)
site-evse-none = Nessun punto di ricarica elencato.
site-evse-ids-hint = Uno per riga, per esempio DE*ABC*E123456*1.
site-evse-refused = { $id }: { $message }
site-technical-edit = Modifica tecnico e punti di ricarica
site-technical-edit-intro = Il tecnico viene chiamato quando un guasto non si risolve da remoto. Lascia vuoti i tre campi del tecnico se non ce n'è uno.
site-cloud = Cloud
site-cloud-enabled = Questo impianto è abilitato al cloud.
site-cloud-resend = Invia di nuovo i dati di attivazione
site-cloud-resend-help = Il codice impianto e un nuovo codice di attivazione vanno a { $email }. Il codice di attivazione precedente smette di funzionare; un programma già collegato resta collegato.
site-services = Servizi mensili
site-services-rule = Un servizio è fatturato dal giorno in cui viene attivato: il mese dell'attivazione è addebitato per intero, qualunque sia il giorno, e il mese della disattivazione non è addebitato. Ogni attivazione e disattivazione è confermata per email.
site-services-no-switch = Per attivare o disattivare un servizio serve il diritto di approvare azioni con costi successivi.
site-services-none = Nessun servizio ancora offerto.
site-service-on = attivo
site-service-off = non attivo
site-service-price = { $price } al mese
site-service-since = attivo dal { $date }
site-service-switch-on = Attiva
site-service-switch-off = Disattiva
site-service-confirm-on = Attivare { $name } per questo impianto?
site-service-rule-on = Costa { $price } al mese, fatturato da oggi: questo mese è addebitato per intero, qualunque sia il giorno, e il mese in cui lo disattivi non è addebitato. L'account riceve una conferma per email.
site-service-confirm-on-button = Attiva per { $price } al mese
site-service-confirm-off = Disattivare { $name } per questo impianto?
site-service-rule-off = Il servizio termina subito e questo mese non è addebitato. L'account riceve una conferma per email.
site-service-confirm-off-button = Disattiva ora
site-users = Utenti di questo impianto
site-users-help = Accedono come ADMIN con nome utente, password e codice impianto, e vedono solo questo impianto, con i diritti dei loro gruppi.
site-users-none = Questo impianto non ha ancora utenti.
site-user-remove = Rimuovi
site-user-remove-named = Rimuovi { $name }
site-user-new = Nuovo utente
site-user-username = Nome utente
site-user-password-hint = Almeno { $n } caratteri.
site-user-groups = Gruppi (l'utente ne riceve i diritti)
site-user-add = Aggiungi l'utente
site-operations = Operazioni recenti
site-operations-all = Tutte le operazioni di questo impianto
site-operations-none = Per questo impianto non è ancora registrato nulla.
site-op-at = Quando
site-op-actor = Chi
site-op-operation = Cosa
site-op-outcome = Esito
site-op-ok = eseguita
site-op-refused = rifiutata
site-op-failed = non riuscita
site-done-data = I dati identificativi sono salvati.
site-done-technical = Tecnico e punti di ricarica sono salvati.
site-done-codes = I dati di attivazione stanno arrivando al referente dell'impianto.
site-done-user-added = L'utente è stato aggiunto.
site-done-user-removed = L'utente è stato rimosso; le sue sessioni sono terminate.
site-done-service-on = Attivato. L'account riceve una conferma per email.
site-done-service-off = Disattivato. L'account riceve una conferma per email.
error-EVSE_ID_INVALID = Questo non è un EVSE ID; uno ha la forma DE*ABC*E123456*1.
error-EVSE_ID_TAKEN = Un altro impianto elenca già uno di questi punti di ricarica.
error-TOO_MANY_EVSE_IDS = Un impianto elenca al massimo 500 punti di ricarica.
error-SERVICE_ALREADY_ON = Il servizio è già attivo in questo impianto.
error-SERVICE_NOT_ON = Il servizio non è attivo in questo impianto.
error-SERVICE_NOT_FOUND = Questo servizio non esiste.
error-SITE_NOT_ACTIVE = Il programma dell'impianto non è attivato su nessuna macchina, quindi i suoi servizi non si possono attivare o disattivare.
error-SITE_EMAIL_MISSING = L'impianto non ha ancora l'email del referente: il suo programma la invia con i dati dell'impianto.
error-USER_NOT_FOUND = Questo utente non esiste.
error-USER_DISABLED = Questo utente è disattivato. L'amministratore dell'account può riattivarlo.
error-GROUP_NOT_FOUND = Questo gruppo non esiste.
## Cloud
nav-cloud = Cloud
nav-invoices = Fatture
cloud-title = Configura il tuo cloud
cloud-subscription = Abbonamento
cloud-state = Stato
cloud-plan = Piano
cloud-seats = Impianti compresi
cloud-expires = Scade il
cloud-no-subscription = L'account non ha ancora un abbonamento al cloud. Provalo gratis o acquistalo.
cloud-try = Prova gratis
cloud-buy = Acquista il servizio
cloud-renew = Rinnova il servizio
cloud-orders = Ordini
cloud-invoices = Fatture
cloud-state-trialing = prova gratuita
cloud-state-active = attivo
cloud-state-expired = scaduto
cloud-state-maintenance = in manutenzione
cloud-state-blocked = bloccato
cloud-state-deleted = eliminato
cloud-sites-title = I tuoi impianti
cloud-sites-help = Gli impianti sono raggruppati per edizione e taglia: un abbonamento accoglie impianti di una sola edizione e taglia. Seleziona gli impianti che devono usare il cloud.
cloud-available = { $n ->
    [one] Impianti disponibili: uno
   *[other] Impianti disponibili: { $n }
}
cloud-active = { $n ->
    [one] Impianti attivi: uno
   *[other] Impianti attivi: { $n }
}
cloud-group-counts = { $available ->
    [0] nessun impianto
    [one] un impianto
   *[other] { $available } impianti
}, { $active ->
    [one] uno attivo
   *[other] { $active } attivi
}
cloud-group-empty = L'account non ha impianti di questa edizione e taglia.
cloud-select-all = Seleziona tutti
cloud-col-email = Email per i codici
cloud-col-key = Product key
cloud-col-cloud = Cloud
cloud-col-actions = Azioni
cloud-no-email = non ancora: la invia il programma dell'impianto
cloud-connected = collegato
cloud-site-not_enabled = cloud non abilitato
cloud-site-enabled = cloud abilitato
cloud-site-license_mismatch = cloud disabilitato: licenza non corrispondente
cloud-resend = Invia di nuovo i dati di attivazione
cloud-disable = Disabilita
cloud-enable = Abilita gli impianti selezionati
cloud-enable-help = Ogni impianto abilitato riceve al suo indirizzo email un codice di attivazione e un codice impianto. Un impianto resta abilitato fino al rinnovo dell'abbonamento.
cloud-enabled-notice = { $n ->
    [one] Un impianto è abilitato. I suoi dati di attivazione stanno arrivando all'email dell'impianto.
   *[other] { $n } impianti sono abilitati. I loro dati di attivazione stanno arrivando all'email di ciascun impianto.
}
cloud-resent-notice = I dati di attivazione stanno arrivando di nuovo all'email dell'impianto, con un nuovo codice di attivazione.
cloud-steps = Passaggi
cloud-step-choose = Scelta
cloud-step-registry = Dati di fatturazione
cloud-step-summary = Riepilogo
cloud-step-payment = Pagamento
cloud-step-confirmation = Conferma
cloud-col-article = Codice articolo
cloud-col-service = Servizio
cloud-col-bundle = Pacchetto
cloud-col-date = Data
cloud-col-net = Prezzo IVA esclusa
cloud-col-vat = IVA
cloud-col-total = Totale
cloud-vat-reverse-charge = Inversione contabile: l'IVA è a carico del cliente.
cloud-vat-outside-eu = Operazione fuori dal campo di applicazione dell'IVA UE.
cloud-registry = Il tuo account
cloud-email = Email
cloud-company = Ragione sociale
cloud-address = Indirizzo
cloud-vat-number = Partita IVA
cloud-phone = Telefono
cloud-contact = Referente
cloud-registry-fixed = Nome utente ed email di registrazione non si possono modificare; gli altri dati dell'account si aggiornano nel suo profilo.
cloud-trial-title = Prova il cloud gratis
cloud-trial-intro = Il servizio cloud si può provare gratis, una volta per account. Alla fine della prova, acquista l'abbonamento perché i tuoi impianti continuino a sincronizzarsi; i dati raccolti durante la prova restano.
cloud-no-trial = Al momento nessun piano offre una prova gratuita.
cloud-choose-plan = Piano
cloud-trial-terms = { $months ->
    [one] un mese
   *[other] { $months } mesi
}, fino a { $sites } impianti
cloud-terms = Accetto l'informativa sulla privacy e i termini e le condizioni del servizio.
error-TERMS_NOT_ACCEPTED = Accetta i termini e le condizioni per proseguire.
cloud-back = Indietro
cloud-proceed = Procedi
cloud-trial-summary-title = La tua prova gratuita: riepilogo
cloud-trial-start = Avvia la prova gratuita
cloud-trial-started-title = La tua prova è iniziata
cloud-trial-started = La prova gratuita del servizio cloud è iniziata.
cloud-trial-ends = Dura fino al { $date }, per un massimo di { $sites } impianti.
cloud-set-up-now-help = Ora configura il tuo cloud: scegli gli impianti che devono usarlo. Assicurati che:
cloud-check-registered = i product key di quegli impianti siano registrati nel tuo account e attivati dal programma di ciascun impianto;
cloud-check-same-size = gli impianti che abiliti abbiano key della stessa edizione e taglia.
cloud-set-up-later = Configura più tardi
cloud-set-up-now = Configura ora
cloud-buy-title = Acquista il servizio cloud
cloud-renew-title = Rinnova il servizio cloud
cloud-what = Cosa acquisti
cloud-plan-price = { $name }: { $price } a impianto per { $months } mesi
cloud-sites-count = Numero di impianti
cloud-keep = Impianti da mantenere
cloud-keep-help = Solo al rinnovo gli impianti possono lasciare il cloud: togli la spunta agli impianti che non devono proseguire.
cloud-keep-none = Nessun impianto è ancora abilitato.
cloud-invoicing = Dati di fatturazione
cloud-registry-account = Fatturato per l'account { $username } ({ $email }).
cloud-street = Via e numero civico
cloud-postal-code = CAP
cloud-place = Località
cloud-region = Regione
cloud-country = Nazione (due lettere, es. IT)
cloud-invoice-email = Email a cui inviare la fattura
cloud-e-invoice = Accetto di ricevere la fattura via email.
cloud-b2b = Dichiaro di acquistare come impresa, che i dati sopra identificano l'impresa e che il pagamento proviene da essa.
cloud-orders-title = Ordini
cloud-back-to-setup = Torna alla configurazione del cloud
cloud-orders-none = L'account non ha ancora effettuato ordini.
cloud-col-order = Ordine
cloud-col-kind = Tipo
cloud-col-sites = Impianti
cloud-col-status = Stato
cloud-kind-purchase = acquisto
cloud-kind-renewal = rinnovo
cloud-order-awaiting_payment = in attesa di pagamento
cloud-order-paid = pagato
cloud-order-cancelled = annullato
cloud-order-expired = scaduto
cloud-order-title = Ordine
cloud-pay-by = Da pagare entro
cloud-paid-at = Pagato il
cloud-invoice = Fattura
cloud-keeps = Impianti mantenuti:
cloud-order-expired-help = L'ordine non è stato pagato in tempo. Effettuane uno nuovo per acquistare.
cloud-billed-to = La fattura sarà intestata a
cloud-pay = Paga
cloud-pay-unavailable = Il pagamento online non è ancora attivo. Contatta il fornitore per pagare questo ordine.
cloud-cancel-order = Annulla l'ordine
cloud-order-notice-paid = Grazie: il pagamento è confermato e la fattura emessa.
cloud-order-notice-declined = Il pagamento è stato rifiutato. L'ordine attende ancora il pagamento.
cloud-order-notice-cancelled = L'ordine è annullato.
cloud-invoices-title = Fatture
cloud-invoices-none = L'account non ha ancora fatture.
cloud-col-invoice = Fattura
cloud-monthly-services = servizi mensili
cloud-print = Stampa
cloud-test-title = Pagamento di prova
cloud-test-warning = Questo è il fornitore di pagamenti di prova integrato: non si muove denaro. Non deve mai essere attivo in produzione.
cloud-test-pay = Paga
cloud-test-decline = Rifiuta
cloud-back-to-order = Torna all'ordine
error-PLAN_NOT_FOUND = Questo piano non esiste.
error-PLAN_HAS_NO_TRIAL = Questo piano non prevede una prova gratuita.
error-PLAN_MISMATCH = Il piano non copre l'edizione e la taglia di questo impianto.
error-TRIAL_USED = L'account ha già usato la prova gratuita; è concessa una sola volta.
error-TRIAL_AFTER_PURCHASE = L'account ha già acquistato il servizio, quindi la prova gratuita non è più disponibile.
error-SUBSCRIPTION_NOT_FOUND = L'account non ha ancora un abbonamento al cloud. Avvia prima la prova gratuita o acquista il servizio.
error-SUBSCRIPTION_EXPIRED = L'abbonamento è scaduto. Rinnovalo per proseguire.
error-SUBSCRIPTION_MAINTENANCE = L'abbonamento è in manutenzione. Riprova più tardi.
error-SUBSCRIPTION_BLOCKED = L'abbonamento è bloccato. Contatta il fornitore.
error-SUBSCRIPTION_DELETED = L'abbonamento è stato eliminato.
error-EDITION_MISMATCH = L'abbonamento accoglie impianti di una sola edizione e taglia, e questo impianto ne ha un'altra.
error-SEATS_EXCEEDED = L'abbonamento non ha più abbastanza impianti per questa selezione. Selezionane meno, oppure acquistane di più al rinnovo.
error-SITE_ALREADY_ENABLED = Questo impianto è già abilitato.
error-NO_SITES_SELECTED = Seleziona almeno un impianto.
error-TOO_MANY_SITES = Troppi impianti in una volta: al massimo 500.
error-SITE_LOCKED_UNTIL_RENEWAL = Un impianto abilitato resta abilitato fino al rinnovo dell'abbonamento. Escludilo quando rinnovi.
error-LICENSE_REVOKED = Il product key di questo impianto è revocato.
error-LICENSE_SUSPENDED = La licenza di questo impianto è sospesa.
error-LICENSE_NOT_ACTIVE = Questo impianto non è attivato su alcuna macchina.
error-LICENSE_EXPIRED = La licenza di questo impianto è scaduta.
error-CLOUD_LICENSE_MISMATCH = Cloud disabilitato: la licenza dell'impianto è ora di un'altra edizione o taglia rispetto all'abbonamento.
error-KEEP_UNKNOWN_SITE = Un impianto da mantenere non è abilitato in questo abbonamento.
error-KEEP_EXCEEDS_QUANTITY = Si mantengono più impianti di quelli acquistati. Acquistane di più o mantienine meno.
error-RENEWAL_PENDING = Un rinnovo è già pagato e non è ancora iniziato.
error-SITES_INVALID = Un ordine riguarda da 1 a 10000 impianti.
error-VAT_NUMBER_REQUIRED = Un'impresa nell'UE indica la sua partita IVA.
error-VAT_RATE_UNKNOWN = Il fornitore non ha ancora impostato un'aliquota IVA per questa nazione. Contatta il fornitore.
error-BILLING_NOT_CONFIGURED = Il fornitore non ha ancora configurato la fatturazione, quindi al momento non si può ordinare.
error-PAYMENTS_NOT_CONFIGURED = Il fornitore non ha ancora configurato i pagamenti.
error-ORDER_NOT_FOUND = Questo ordine non esiste nel tuo account.
error-ORDER_ALREADY_PAID = L'ordine è già pagato.
error-ORDER_CANCELLED = L'ordine è stato annullato.
error-ORDER_EXPIRED = L'ordine non è stato pagato in tempo ed è scaduto. Effettuane uno nuovo.
error-AMOUNT_MISMATCH = L'importo o la valuta del pagamento non corrispondono all'ordine.
error-PAYMENT_ID_REUSED = Questo pagamento è stato registrato per un altro ordine.
error-INVOICE_NOT_FOUND = Questa fattura non esiste nel tuo account.

## Users, groups and rights
nav-users = Utenti
users-title = Utenti e gruppi
users-groups = Gruppi
users-groups-help = I diritti si assegnano ai gruppi: chi è in un gruppo ne ha i diritti. Apri un gruppo per attivarne o disattivarne i diritti e sceglierne i membri.
users-groups-none = Non ci sono ancora gruppi.
users-col-group = Gruppo
users-col-rights = Diritti
users-col-members = Membri
users-group-members = { $n ->
    [one] Un membro
   *[other] { $n } membri
}
users-no-rights = ancora nessun diritto
users-group-new = Nuovo gruppo
users-group-name = Nome del gruppo
users-group-create = Crea il gruppo
users-users = Utenti
users-users-help = Gli utenti accedono dalla scheda dell'account nella pagina di accesso con nome utente e password, e hanno i diritti dei loro gruppi.
users-users-none = Non ci sono ancora utenti.
users-user-groups-none = in nessun gruppo
users-user-remove = Rimuovi
users-user-remove-named = Rimuovi { $name }
users-user-disabled = disattivato
users-user-disabled-since = Disattivato dal { $when }: non può accedere.
users-user-disable = Disattiva
users-user-disable-named = Disattiva { $name }
users-user-enable = Riattiva
users-user-enable-named = Riattiva { $name }
users-user-new = Nuovo utente
users-username = Nome utente
users-password = Password
users-password-confirm = Ripeti la password
users-password-hint = Almeno { $n } caratteri.
users-user-groups = Gruppi (l'utente ne riceve i diritti)
users-user-add = Aggiungi l'utente
users-done-user-added = L'utente è aggiunto e può accedere subito.
users-done-user-removed = L'utente è rimosso; le sue sessioni sono terminate.
users-done-user-disabled = L'utente è disattivato: le sue sessioni sono terminate e non può accedere finché non viene riattivato.
users-done-user-enabled = L'utente è di nuovo attivo e può accedere con la sua password.
users-done-group-created = Il gruppo è creato. Attivane i diritti e scegline i membri.
users-done-group-renamed = Il gruppo è rinominato.
users-done-group-removed = Il gruppo è rimosso. I suoi membri mantengono i diritti degli altri loro gruppi.
users-done-members-saved = I membri sono salvati.
users-done-right-on = Attivato: i membri del gruppo hanno questo diritto dal loro prossimo clic.
users-done-right-off = Disattivato: i membri del gruppo perdono questo diritto dal loro prossimo clic.
group-back = Torna a utenti e gruppi
group-kind = Gruppo
group-rights = Diritti
group-rights-help = Porta un diritto su ON per darlo a tutti nel gruppo, su OFF per toglierlo.
group-right-on = ON
group-right-off = OFF
group-members = Membri
group-members-help = Spunta chi fa parte del gruppo, poi salva.
group-members-users = Utenti dell'account
group-members-site-users = Utenti degli impianti
group-members-none = Non ci sono ancora utenti tra cui scegliere: aggiungili in Utenti o nella pagina di un impianto.
group-members-save = Salva i membri
group-settings = Nome e rimozione
group-rename = Rinomina
group-remove = Rimuovi il gruppo
group-remove-help = I suoi membri restano, con i diritti degli altri loro gruppi.
right-sites-operations-view = Scheda gestione operativa
right-sites-operations-view-help = Mostra la scheda di gestione operativa nella scheda tecnica di ogni stazione: i suoi servizi mensili, dove si attivano e disattivano.
right-operations-view = Registro operazioni
right-operations-view-help = Legge il registro delle operazioni dell'account (un utente d'impianto: del suo impianto) e lo esporta in CSV.
right-actions-costly-approve = Approvazione costi
right-actions-costly-approve-help = Può approvare azioni che comportano costi successivi, come attivare o disattivare un servizio a pagamento (con la scheda gestione operativa).
right-sites-technical-edit = Tecnico e punti di ricarica
right-sites-technical-edit-help = Modifica il contatto del tecnico e i punti di ricarica (EVSE ID) di un impianto.
right-invoices-view = Fatture
right-invoices-view-help = Vede le fatture e le righe di fattura dell'account.
right-sites-manage = Impianti e chiavi
right-sites-manage-help = Aggiunge chiavi prodotto, cambia i dati identificativi di un impianto, libera le installazioni e abilita gli impianti al cloud.
right-users-manage = Gestione utenti
right-users-manage-help = Aggiunge e rimuove utenti e gruppi, attiva e disattiva i diritti dei gruppi e assegna agli impianti i loro utenti.
right-sync-conflicts-resolve = Conflitti di sincronizzazione
right-sync-conflicts-resolve-help = Decide i conflitti della sincronizzazione cloud: tiene i dati del cloud, quelli dell'impianto o quelli modificati.
error-GROUP_EXISTS = L'account ha già un gruppo con questo nome.
error-RIGHT_UNKNOWN = Questo diritto non esiste.

## Operations log
nav-operations = Operazioni
ops-title = Registro operazioni
ops-help = Ogni modifica fatta nell'account: chi l'ha fatta, cosa, quando, in quale impianto e con quale esito.
ops-help-site = Ogni modifica fatta nel tuo impianto: chi l'ha fatta, cosa, quando e con quale esito.
ops-filters = Filtra le operazioni
ops-col-site = Impianto
ops-operation-hint = Una parte, come services o DELETE.
ops-from = Dal
ops-to = Al
ops-clear = Azzera i filtri
ops-shown = { $n ->
    [one] L'ultima operazione
   *[other] Le ultime { $n } operazioni
}
ops-shown-older = { $n ->
    [one] Un'operazione precedente
   *[other] { $n } operazioni precedenti
}
ops-export = Esporta CSV
ops-none = Nessuna operazione corrisponde.
ops-newest = Più recenti
ops-older = Precedenti
error-INVALID_TIMESTAMP = Questa non è una data.
error-OUTCOME_INVALID = Scegli eseguita, rifiutata o non riuscita.
error-INVALID_QUERY = Un filtro è troppo lungo.
op-sign-in = Accesso operatori
op-sign-in-help = La console del personale del produttore. I clienti accedono dalla pagina di accesso clienti.
op-nav-catalog = Catalogo
op-nav-plans = Piani
op-catalog-title = Catalogo
op-catalog-back = ← Tutti i prodotti
op-products = Prodotti
op-products-none = Non ci sono ancora prodotti.
op-product-code = Codice
op-code-hint = Lettere minuscole, cifre e trattini; non cambia mai.
op-product-name = Nome
op-product-grace-days = Giorni senza verifica prima che il client si blocchi
op-product-grace-days-hint = Da 1 a 365; 10 se vuoto.
op-product-max-transfers = Spostamenti su un'altra macchina senza disattivare prima
op-product-max-transfers-hint = Da 0 a 1000; 0 se vuoto (disattivare prima).
op-product-new = Nuovo prodotto
op-product-create = Crea il prodotto
op-product-policy = Si blocca dopo { $grace ->
    [one] un giorno
   *[other] { $grace } giorni
} senza verifica · { $transfers ->
    [0] nessuno spostamento senza disattivare
    [one] uno spostamento senza disattivare
   *[other] { $transfers } spostamenti senza disattivare
}
op-editions = Edizioni
op-editions-help = Dalla più bassa; una nuova edizione si colloca sopra quelle esistenti.
op-sizes = Taglie
op-modules = Moduli
op-policy = Regole della licenza
op-none-yet = Ancora nessuno.
op-entry-code = Codice
op-entry-name = Nome
op-size-limits = Limiti
op-size-limits-hint = nome=numero, separati da virgole: drivers=5, users=10
op-add-edition = Aggiungi un'edizione
op-add-size = Aggiungi una taglia
op-add-module = Aggiungi un modulo
op-add = Aggiungi
op-done-edition = L'edizione è stata aggiunta.
op-done-size = La taglia è stata aggiunta.
op-done-module = Il modulo è stato aggiunto.
op-plans-title = Piani
op-plans = Piani in vendita
op-plans-none = Non ci sono ancora piani.
op-plan-code = Codice
op-plan-name = Nome
op-plan-service = Servizio
op-plan-service-hint = Un account ha un abbonamento per servizio: cloud per il servizio cloud.
op-plan-article = Codice articolo
op-plan-price = Prezzo per sito e periodo
op-plan-price-hint = Un importo come 300.00, IVA esclusa.
op-plan-currency = Valuta
op-plan-period = Mesi di un periodo pagato
op-plan-trial-months = Mesi della prova gratuita (0: nessuna)
op-plan-trial-sites = Siti che la prova può abilitare
op-plan-product = Prodotto
op-plan-bundles = Edizioni e taglie coperte
op-plan-bundles-hint = edizione/taglia, separate da virgole: standard/small, premium/large
op-plan-trial-col = Prova
op-plan-price-per = { $price } per sito per { $months } mesi
op-plan-no-trial = nessuna prova
op-plan-trial = { $months ->
    [one] un mese
   *[other] { $months } mesi
}, fino a { $sites ->
    [one] un sito
   *[other] { $sites } siti
}
op-plan-new = Nuovo piano
op-plan-create = Aggiungi il piano
op-done-plan = Il piano è stato aggiunto.
op-nav-keys = Chiavi prodotto
op-keys-title = Chiavi prodotto
op-keys-back = ← Chiavi prodotto
op-key-find = Cerca una chiave
op-key = Chiave prodotto
op-key-find-button = Cerca
op-key-not-found = Nessuna chiave di questo tipo è stata emessa.
op-batches = Lotti
op-batches-none = Non è ancora stato ordinato alcun lotto.
op-batch = Lotto
op-batch-kind = Prodotto, edizione e taglia
op-batch-keys = Chiavi
op-batch-note = Nota
op-batch-note-hint = Per chi, ad es. il rivenditore e il suo ordine.
op-batch-made = Ordinato
op-batch-count = Numero di chiavi
op-batch-order = Ordina un lotto
op-batch-order-button = Ordina le chiavi
op-batch-progress = { $done } di { $all } chiavi create
op-batch-csv = Scarica le chiavi (CSV)
op-batch-fill = Crea le chiavi successive
op-key-state = La chiave
op-key-status = Stato
op-key-status-issued = emessa, non ancora registrata
op-key-status-registered = registrata a un account
op-key-status-activated = attivata presso un sito
op-key-status-revoked = revocata
op-key-installation = Installazione
op-key-account = account
op-key-not-registered = non ancora registrata
op-key-revoke = Revoca la chiave
op-key-revoke-help = Una chiave revocata smette di funzionare presso il sito alla verifica successiva e non può più essere usata. Il motivo resta nella sua cronologia.
op-key-reason = Motivo
op-key-revoke-button = Revoca
op-key-edition-change = Cambia l'edizione
op-key-edition = Nuova edizione
op-key-edition-button = Cambia l'edizione
op-key-done-revoked = La chiave è stata revocata.
op-key-done-edition = L'edizione è stata cambiata.
op-key-history = Cronologia
op-when = Quando
op-what = Cosa
op-who = Chi
op-detail = Dettagli
op-nav-customers = Clienti
op-customers-title = Clienti
op-customers-back = ← Clienti
op-customers-search = Cerca un cliente
op-customers-search-hint = L'inizio di nome utente, email, ragione sociale o partita IVA.
op-customers-none = Nessun cliente corrisponde.
op-customer-company = Azienda
op-customer-login = Nome utente ed email
op-customer-vat = Partita IVA
op-customer-since = Cliente dal
op-customer-account = L'account
op-customer-contact = Referente
op-customer-language = Lingua delle sue email
op-customer-sites = Installazioni
op-customer-subscriptions = Abbonamenti
op-customer-orders = Ordini
op-customer-invoices = Fatture
op-customer-users = Utenti
op-customer-operations = Ultime operazioni
op-next-page = Pagina successiva
op-site = Installazione
op-site-last-check = Ultima verifica
op-site-expiry = La licenza scade
op-site-expiry-set = La licenza scade il
op-actions = Azioni
op-save = Salva
op-site-suspend = Sospendi
op-site-resume = Riprendi
op-site-release = Libera dalla sua macchina
op-site-done-suspended = L'installazione è stata sospesa.
op-site-done-resumed = L'installazione è stata ripresa.
op-site-done-released = L'installazione è stata liberata dalla sua macchina.
op-site-done-expiry = La scadenza della licenza è stata salvata.
op-user-disabled = disattivato
cloud-vendor-note = Nota del produttore:
op-nav-subscriptions = Abbonamenti
op-subs-title = Abbonamenti
op-subs-state = Stato
op-subs-all = Tutti gli stati
op-subs-show = Mostra
op-subs-none = Nessun abbonamento è in questo stato.
op-subs-term = Siti e fine del periodo
op-subs-set = Imposta lo stato
op-subs-new-state = Nuovo stato
op-subs-note = Perché (il cliente lo legge)
op-sub-resume = di nuovo attivo (ripreso)
op-sub-done-state = Lo stato è stato impostato.
