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
cloud-terms-required = Accetta i termini e le condizioni per proseguire.
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
error-SITE_NOT_ACTIVE = Questo impianto non è ancora stato attivato dal suo programma.
error-SITE_EMAIL_MISSING = Questo impianto non ha ancora un'email per i codici: la invia il programma dell'impianto con i dati dell'impianto.
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
error-VAT_NUMBER_INVALID = Non è una partita IVA valida per la nazione.
error-VAT_COUNTRY_MISMATCH = La partita IVA appartiene a un'altra nazione.
error-VAT_RATE_UNKNOWN = Il fornitore non ha ancora impostato un'aliquota IVA per questa nazione. Contatta il fornitore.
error-COUNTRY_INVALID = Indica la nazione con il suo codice di due lettere, es. IT o DE.
error-EMAIL_INVALID = Non è un indirizzo email valido.
error-FIELD_REQUIRED = Questo campo è obbligatorio.
error-FIELD_TOO_LONG = Il testo è troppo lungo.
error-BILLING_NOT_CONFIGURED = Il fornitore non ha ancora configurato la fatturazione, quindi al momento non si può ordinare.
error-PAYMENTS_NOT_CONFIGURED = Il fornitore non ha ancora configurato i pagamenti.
error-ORDER_NOT_FOUND = Questo ordine non esiste nel tuo account.
error-ORDER_ALREADY_PAID = L'ordine è già pagato.
error-ORDER_CANCELLED = L'ordine è stato annullato.
error-ORDER_EXPIRED = L'ordine non è stato pagato in tempo ed è scaduto. Effettuane uno nuovo.
error-AMOUNT_MISMATCH = L'importo o la valuta del pagamento non corrispondono all'ordine.
error-PAYMENT_ID_REUSED = Questo pagamento è stato registrato per un altro ordine.
error-INVOICE_NOT_FOUND = Questa fattura non esiste nel tuo account.
