# The web application's texts, English. Every key here is in de/ and it/ too (a test checks).
skip-to-content = Skip to content
nav-label = Main menu
nav-sites = Sites
language = Language
sign-out = Sign out
never = never

## Sign-in
sign-in = Sign in
sign-in-kind = How you sign in
sign-in-tab-account = Account
sign-in-tab-site = Site user
sign-in-account-help = The account's username or email address, or your own username if the account made you a user.
sign-in-site-help = The username and password your account gave you, and the code of your site from the mail that enabled it.
sign-in-login = Username or email
sign-in-username = Username
sign-in-site-code = Site code
password = Password
show-password = Show password
sign-in-refused = The sign-in data is not right. Check them and try again.
sign-in-throttled = Too many attempts. Wait { $secs } seconds and try again.

## Sites
sites-title = All sites
filter-text = Search
filter-state = Licence state
filter-any = Any
filter-apply = Show
sort-by = Sort by
sort-name = Name
sort-state = Licence state
sort-check = Last check
sites-count = { $n ->
    [one] One site
   *[other] { $n } sites
}
sites-none = No site matches.
col-site = Site
col-product = Product
col-licence = Licence
col-last-check = Last check
col-expires = Licence ends
pages = Pages
page-previous = Previous
page-next = Next
site-state-registered = registered
site-state-active = active
site-state-deactivated = deactivated
site-state-suspended = suspended

## Errors
error-title = That did not work
error-back = Back to the start
error-CROSS_SITE_REQUEST = This request did not come from this page. Reload the page and try again.
error-RIGHT_REQUIRED = Your user does not have the right to do this. The account's administrator can give it to you.
error-SITE_NOT_FOUND = There is no such site in your account.
error-ROUTE_NOT_FOUND = There is no such page.
error-TOO_MANY_REQUESTS = Too many requests. Wait a moment and try again.
error-INTERNAL = Something went wrong on our side. Try again in a moment.

## Cloud
nav-cloud = Cloud
nav-invoices = Invoices
cloud-title = Set up your cloud
cloud-subscription = Subscription
cloud-state = State
cloud-plan = Plan
cloud-seats = Sites it covers
cloud-expires = Ends on
cloud-no-subscription = The account has no cloud subscription yet. Try it free, or buy it.
cloud-try = Try it free
cloud-buy = Buy the service
cloud-renew = Renew the service
cloud-orders = Orders
cloud-invoices = Invoices
cloud-state-trialing = free trial
cloud-state-active = active
cloud-state-expired = expired
cloud-state-maintenance = under maintenance
cloud-state-blocked = blocked
cloud-state-deleted = deleted
cloud-sites-title = Your sites
cloud-sites-help = Sites are grouped by edition and size: one subscription takes sites of a single edition and size. Select the sites that should use the cloud.
cloud-available = { $n ->
    [one] Available sites: one
   *[other] Available sites: { $n }
}
cloud-active = { $n ->
    [one] Active sites: one
   *[other] Active sites: { $n }
}
cloud-group-counts = { $available ->
    [0] no sites
    [one] one site
   *[other] { $available } sites
}, { $active } active
cloud-group-empty = The account has no site of this edition and size.
cloud-select-all = Select all
cloud-col-email = Email for the codes
cloud-col-key = Product key
cloud-col-cloud = Cloud
cloud-col-actions = Actions
cloud-no-email = none yet: the site's program sends it
cloud-connected = connected
cloud-site-not_enabled = cloud not enabled
cloud-site-enabled = cloud enabled
cloud-site-license_mismatch = cloud disabled: license mismatch
cloud-resend = Send the activation data again
cloud-disable = Disable
cloud-enable = Enable the selected sites
cloud-enable-help = Each site enabled gets an activation code and a site code at its email. A site stays enabled until the subscription is renewed.
cloud-enabled-notice = { $n ->
    [one] One site is enabled. Its activation data is on its way to the site's email.
   *[other] { $n } sites are enabled. Their activation data is on its way to each site's email.
}
cloud-resent-notice = The activation data is on its way to the site's email again, with a new activation code.
cloud-steps = Steps
cloud-step-choose = Choose
cloud-step-registry = Invoicing data
cloud-step-summary = Summary
cloud-step-payment = Payment
cloud-step-confirmation = Confirmation
cloud-col-article = Article code
cloud-col-service = Service
cloud-col-bundle = Bundle
cloud-col-date = Date
cloud-col-net = Price excl. VAT
cloud-col-vat = VAT
cloud-col-total = Total
cloud-vat-reverse-charge = Reverse charge: the customer accounts for the VAT.
cloud-vat-outside-eu = Outside the scope of EU VAT.
cloud-registry = Your account
cloud-email = Email
cloud-company = Company
cloud-address = Address
cloud-vat-number = VAT number
cloud-phone = Phone
cloud-contact = Contact
cloud-registry-fixed = The username and the registration email cannot be changed; the account's other data is kept up to date on its profile.
cloud-trial-title = Try the cloud free
cloud-trial-intro = The cloud service is free to try, once per account. When the trial ends, buy the subscription to keep your sites synchronising; the data collected during the trial is kept.
cloud-no-trial = No plan offers a free trial at the moment.
cloud-choose-plan = Plan
cloud-trial-terms = { $months ->
    [one] one month
   *[other] { $months } months
}, up to { $sites } sites
cloud-terms = I accept the privacy notice and the terms and conditions of the service.
cloud-terms-required = Accept the terms and conditions to go on.
cloud-back = Back
cloud-proceed = Proceed
cloud-trial-summary-title = Your free trial: summary
cloud-trial-start = Start the free trial
cloud-trial-started-title = Your trial has started
cloud-trial-started = The free trial of the cloud service has started.
cloud-trial-ends = It runs until { $date }, for up to { $sites } sites.
cloud-set-up-now-help = Now set up your cloud: choose the sites that should use it. Please make sure that:
cloud-check-registered = the product keys of those sites are registered in your account and activated by the program at each site;
cloud-check-same-size = the sites you enable have keys of the same edition and size.
cloud-set-up-later = Set up later
cloud-set-up-now = Set up now
cloud-buy-title = Buy the cloud service
cloud-renew-title = Renew the cloud service
cloud-what = What you buy
cloud-plan-price = { $name }: { $price } a site for { $months } months
cloud-sites-count = Number of sites
cloud-keep = Sites to keep
cloud-keep-help = A renewal is the only time sites can leave the cloud: untick the sites that should not go on.
cloud-keep-none = No site is enabled yet.
cloud-invoicing = Invoicing data
cloud-registry-account = Invoiced for the account { $username } ({ $email }).
cloud-street = Street and number
cloud-postal-code = Postcode
cloud-place = Town
cloud-region = Region
cloud-country = Country (two letters, e.g. IT)
cloud-invoice-email = Email to send the invoice to
cloud-e-invoice = I accept to receive the invoice by email.
cloud-b2b = I declare that I buy as a business, that the data above identifies the business and that the payment comes from it.
cloud-orders-title = Orders
cloud-back-to-setup = Back to the cloud set-up
cloud-orders-none = The account has placed no order yet.
cloud-col-order = Order
cloud-col-kind = Kind
cloud-col-sites = Sites
cloud-col-status = Status
cloud-kind-purchase = purchase
cloud-kind-renewal = renewal
cloud-order-awaiting_payment = awaiting payment
cloud-order-paid = paid
cloud-order-cancelled = cancelled
cloud-order-expired = expired
cloud-order-title = Order
cloud-pay-by = Pay by
cloud-paid-at = Paid on
cloud-invoice = Invoice
cloud-keeps = Sites kept:
cloud-order-expired-help = The order was not paid in time. Place a new one to buy.
cloud-billed-to = The invoice will be issued to
cloud-pay = Pay
cloud-pay-unavailable = Paying online is not set up yet. Contact the vendor to pay this order.
cloud-cancel-order = Cancel the order
cloud-order-notice-paid = Thank you: the payment is confirmed and the invoice issued.
cloud-order-notice-declined = The payment was declined. The order still waits for its payment.
cloud-order-notice-cancelled = The order is cancelled.
cloud-invoices-title = Invoices
cloud-invoices-none = The account has no invoice yet.
cloud-col-invoice = Invoice
cloud-monthly-services = monthly services
cloud-print = Print
cloud-test-title = Test payment
cloud-test-warning = This is the built-in test payment provider: no money moves. It must never be switched on in production.
cloud-test-pay = Pay
cloud-test-decline = Decline
cloud-back-to-order = Back to the order
error-PLAN_NOT_FOUND = There is no such plan.
error-PLAN_HAS_NO_TRIAL = This plan has no free trial.
error-PLAN_MISMATCH = The plan does not cover this site's edition and size.
error-TRIAL_USED = The account has used its free trial already; it is given once.
error-TRIAL_AFTER_PURCHASE = The account has bought the service, so the free trial is no longer offered.
error-SUBSCRIPTION_NOT_FOUND = The account has no cloud subscription yet. Start the free trial or buy the service first.
error-SUBSCRIPTION_EXPIRED = The subscription has expired. Renew it to go on.
error-SUBSCRIPTION_MAINTENANCE = The subscription is under maintenance. Try again later.
error-SUBSCRIPTION_BLOCKED = The subscription is blocked. Contact the vendor.
error-SUBSCRIPTION_DELETED = The subscription was deleted.
error-EDITION_MISMATCH = The subscription takes sites of one edition and size only, and this site has another.
error-SEATS_EXCEEDED = The subscription has not enough sites left for this selection. Select fewer sites, or buy more when you renew.
error-SITE_ALREADY_ENABLED = This site is enabled already.
error-SITE_NOT_ACTIVE = This site has not been activated by its program yet.
error-SITE_EMAIL_MISSING = This site has no email for its codes yet: the program at the site sends it with the site's data.
error-NO_SITES_SELECTED = Select at least one site.
error-TOO_MANY_SITES = Too many sites at once: select at most 500.
error-SITE_LOCKED_UNTIL_RENEWAL = An enabled site stays enabled until the subscription is renewed. Leave it out when you renew.
error-LICENSE_REVOKED = This site's product key is revoked.
error-LICENSE_SUSPENDED = This site's licence is suspended.
error-LICENSE_NOT_ACTIVE = This site is not activated on a machine.
error-LICENSE_EXPIRED = This site's licence has expired.
error-CLOUD_LICENSE_MISMATCH = Cloud disabled: the site's licence is now of another edition or size than the subscription.
error-KEEP_UNKNOWN_SITE = A site to keep is not enabled in this subscription.
error-KEEP_EXCEEDS_QUANTITY = More sites are kept than bought. Buy more sites or keep fewer.
error-RENEWAL_PENDING = A renewal is paid already and has not started yet.
error-SITES_INVALID = An order is for 1 to 10000 sites.
error-VAT_NUMBER_REQUIRED = A business in the EU gives its VAT number.
error-VAT_NUMBER_INVALID = This is not a valid VAT number for the country.
error-VAT_COUNTRY_MISMATCH = The VAT number belongs to another country.
error-VAT_RATE_UNKNOWN = The vendor has not set a VAT rate for this country yet. Contact the vendor.
error-COUNTRY_INVALID = Give the country as its two-letter code, e.g. IT or DE.
error-EMAIL_INVALID = This is not a valid email address.
error-FIELD_REQUIRED = This must be filled in.
error-FIELD_TOO_LONG = This is too long.
error-BILLING_NOT_CONFIGURED = The vendor has not set up invoicing yet, so nothing can be ordered now.
error-PAYMENTS_NOT_CONFIGURED = The vendor has not set up payments yet.
error-ORDER_NOT_FOUND = There is no such order in your account.
error-ORDER_ALREADY_PAID = The order is paid already.
error-ORDER_CANCELLED = The order was cancelled.
error-ORDER_EXPIRED = The order was not paid in time and has expired. Place a new one.
error-AMOUNT_MISMATCH = The payment's amount or currency is not the order's.
error-PAYMENT_ID_REUSED = This payment was recorded for another order.
error-INVOICE_NOT_FOUND = There is no such invoice in your account.
