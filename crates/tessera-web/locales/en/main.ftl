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
filter-alarms = Alarms
filter-with-alarms = Only with alarms
sort-alarms = Alarms
col-cloud = Cloud
col-services = Monthly services
col-alarms = Alarms
sync-not-enabled = Sync: not enabled
overview-cloud-state = { $state } until { $end }
cloud-not-enabled = not enabled
subscription-trialing = trial
subscription-active = active
subscription-expired = expired
subscription-maintenance = maintenance
subscription-blocked = blocked
subscription-deleted = deleted
lock-in-days = { $n ->
    [0] locks today
    [one] locks in one day
   *[other] locks in { $n } days
}
alarm-check-overdue = { $n ->
    [0] No check for over two days: locked
    [one] No check for over two days: locks in one day
   *[other] No check for over two days: locks in { $n } days
}
alarm-licence-ending = { $n ->
    [0] Licence ends today
    [one] Licence ends tomorrow
   *[other] Licence ends in { $n } days
}
alarm-subscription-ending = { $n ->
    [0] Cloud subscription ends today
    [one] Cloud subscription ends tomorrow
   *[other] Cloud subscription ends in { $n } days
}
alarm-licence-mismatch = Licence no longer matches the cloud subscription
alarm-refused-payments = { $n ->
    [one] A payment in the last 30 days could not be applied to its order. The vendor will refund it or apply it by hand.
   *[other] { $n } payments in the last 30 days could not be applied to their orders. The vendor will refund them or apply them by hand.
}
charts-label = Charts
chart-validations = Successful checks per day, last 90 days
chart-validations-series = Checks
chart-states = Sites per licence state, last 90 days

## Errors
error-title = That did not work
error-back = Back to the start
error-CROSS_SITE_REQUEST = This request did not come from this page. Reload the page and try again.
error-RIGHT_REQUIRED = Your user does not have the right to do this. The account's administrator can give it to you.
error-SITE_NOT_FOUND = There is no such site in your account.
error-ROUTE_NOT_FOUND = There is no such page.
error-TOO_MANY_REQUESTS = Too many requests. Wait a moment and try again.
error-INTERNAL = Something went wrong on our side. Try again in a moment.

## Registration
register = Register
register-title = Register
register-new-customer-title = New customer
register-new-customer = If you have a product key but no account yet, register it: you give your details and choose how you sign in.
register-have-account = Registered already?
register-steps = Registration steps
register-step-key = Check the product key
register-step-data = Your details
register-step-done = Done
key-help-title = Your product key
key-help-where = It is on the side of the USB key's box, or in the licence mail you received.
key-help-format = A product key has 16 symbols in four groups of four, such as { $example }. Capital or small letters, dashes and spaces make no difference.
key-help-symbols = It is written with the digits 2 to 9 and the letters A to Z without I, L and O: a key never holds 0, O, 1, I or L, so no two symbols can be taken for each other.
key-help-check = The last symbol is a check symbol, worked out from the other fifteen: one mistyped symbol, or two neighbours typed the wrong way round, is noticed at once, before the key is even looked up.
key-field = Product key
key-field-hint = 16 symbols, such as { $example }
register-check-key = Check the key
register-key-ok = This product key can be registered:
register-other-key = Use another key
form-required-note = Fields marked * are required.
form-refused = Please check the form.
form-choose = Choose…
form-throttled = Too many attempts. Wait { $secs } seconds and try again.
register-section-account = 1. Account
register-section-company = 2. Company
register-section-contact = 3. Contact person
register-section-reseller = 4. Reseller
register-section-reseller-intro = The reseller you bought the product key from.
register-section-privacy = 5. Privacy
register-username = Username
register-username-hint = 3 to 64 characters: letters, digits, '.', '_' or '-'.
register-password-hint = At least 12 characters.
register-password-confirm = Confirm password
register-email = Email
register-email-confirm = Confirm email
register-language = Language of our mails
register-company-name = Company name
register-country = Country
register-country-hint = Its two-letter code, such as IT or DE.
register-region = Region
register-city = City
register-street = Street
register-number = Number
register-postcode = Postcode
register-vat = VAT number
register-vat-hint = With or without the country prefix, such as IT00743110157.
register-sector = Business sector
register-tanks = Number of tanks
register-drivers = Number of drivers
register-vehicles = Number of vehicles
register-fax = Fax
register-company-email = Company email
register-commercial-info = I would like to receive commercial information
register-first-name = First name
register-last-name = Last name
register-mobile = Mobile phone
register-phone = Phone
register-privacy-text = We keep the details of this form to run your account and your licences, and use them for nothing else.
register-privacy-ip = Your acceptance is recorded with the time and your IP address ({ $ip }).
register-privacy-accept = I have read the privacy policy and accept it
register-newsletter = I wish to subscribe to the newsletter
register-submit = Register
registered-title = Registration completed
registered-mail = Your account { $username } is created. A confirmation mail was sent to { $email }.
registered-next = Sign in with your username or this email address to add further keys and to follow your installations.
keys-add = Add a product key
keys-title = Add a product key
keys-intro = Register a further product key to your account, with the reseller you bought it from. Its installation then appears among your sites.
keys-section-reseller = Reseller
keys-section-key = Product key
keys-submit = Register the key
cancel = Cancel
country-AT = Austria
country-BE = Belgium
country-BG = Bulgaria
country-CH = Switzerland
country-CY = Cyprus
country-CZ = Czechia
country-DE = Germany
country-DK = Denmark
country-EE = Estonia
country-ES = Spain
country-FI = Finland
country-FR = France
country-GB = United Kingdom
country-GR = Greece
country-HR = Croatia
country-HU = Hungary
country-IE = Ireland
country-IT = Italy
country-LT = Lithuania
country-LU = Luxembourg
country-LV = Latvia
country-MT = Malta
country-NL = Netherlands
country-PL = Poland
country-PT = Portugal
country-RO = Romania
country-SE = Sweden
country-SI = Slovenia
country-SK = Slovakia
country-US = United States
error-KEY_FORMAT_INVALID = This is not a product key: a key has 16 symbols, the digits 2 to 9 and the letters A to Z without I, L and O.
error-KEY_CHECKSUM_INVALID = The product key is mistyped: its check symbol does not match. Compare each symbol with the box or the mail.
error-KEY_INVALID = This product key cannot be registered: it is unknown, revoked or registered already.
error-USERNAME_INVALID = A username has 3 to 64 characters: letters, digits, '.', '_' or '-'.
error-USERNAME_TAKEN = This username is taken. Choose another one.
error-EMAIL_INVALID = This is not an email address.
error-EMAIL_TAKEN = An account with this email address exists already. Sign in to it, or reset its password.
error-EMAIL_MISMATCH = The two email addresses differ.
error-PASSWORD_TOO_SHORT = The password is too short: it needs at least 12 characters.
error-PASSWORD_TOO_LONG = The password is too long.
error-PASSWORD_MISMATCH = The two passwords differ.
error-VAT_NUMBER_INVALID = This is not a VAT number of the chosen country.
error-VAT_NUMBER_TAKEN = An account with this VAT number exists already.
error-VAT_COUNTRY_MISMATCH = The VAT number carries the prefix of another country than the one chosen.
error-VAT_COUNTRY_UNSUPPORTED = VAT numbers of this country cannot be checked. Choose a country from the list.
error-PRIVACY_NOT_ACCEPTED = Read the privacy policy and accept it to register.
error-FIELD_REQUIRED = Please fill in this field.
error-FIELD_TOO_LONG = This is too long.
error-FIELD_INVALID = This holds characters that are not allowed.
error-PHONE_INVALID = A phone number has at least 5 digits, and only digits, spaces and + - / ( ).
error-COUNTRY_INVALID = Choose a country, or give its two-letter code (such as IT or DE).
error-INVALID_COUNT = A whole number from 0 to 1,000,000.
error-LANGUAGE_UNSUPPORTED = Choose English, German or Italian.
error-CONTROL_CHARACTER = The form holds control characters, which are not allowed. Type the text again.

## Password reset
sign-in-forgot = Forgot your password?
reset-title = Reset your password
reset-intro = Give the email address of your account. We mail you a code to set a new password with.
reset-email = Email
reset-send = Send the code
reset-have-code = I have a code already
reset-back = Back to sign-in
reset-sent = If { $email } belongs to an account, we have mailed a code to it. It works once, within { $minutes } minutes.
reset-code-intro = Type the code from the mail and your new password.
reset-code = Code from the mail
reset-new-password = New password
reset-new-password-confirm = Confirm new password
reset-set = Set the new password
reset-no-code = No mail? Look in the spam folder: it may have landed there.
reset-again = Ask for a new code
reset-done-title = Password changed
reset-done = Your password is changed. Every session of your account has ended: sign in again with the new password.
error-RESET_TOKEN_INVALID = This code does not work: it is mistyped, used already or more than an hour old. Ask for a new one.
## Site page
site-back-to-sites = ← All sites
site-back-to = ← Back to { $label }
site-edit = Edit
site-save = Save
form-optional = optional
site-cancel = Cancel
site-data = Identification data
site-data-none = The site's program has not sent its data yet.
site-company = Company
site-branch = Branch
site-address = Address
site-zip = Postcode
site-locality = Town
site-province = Province
site-nation = Country
site-nation-hint = Two letters, such as IT or DE.
site-representative = Representative
site-representative-name = Representative's first name
site-representative-surname = Representative's surname
site-representative-email = Representative's email
site-representative-email-hint = The site's cloud activation data is sent to this address.
site-data-edit = Change the identification data
site-data-edit-intro = The site's name in every list follows its company, branch and town.
site-licence = Licence
site-key = Product key
site-status = State
site-activated = Activated
site-technical = Technician and charging points
site-technician = Technician
site-technician-none = No technician is named yet.
site-technician-name = Technician's name
site-technician-phone = Technician's phone
site-technician-email = Technician's email
site-evse-ids = Charging points (EVSE IDs)
site-evse-none = No charging point is listed yet.
site-evse-ids-hint = One per line, such as DE*ABC*E123456*1.
site-evse-refused = { $id }: { $message }
site-technical-edit = Change the technician and charging points
site-technical-edit-intro = The technician is called when a fault cannot be fixed remotely. Leave the technician's three fields empty if there is none.
site-cloud = Cloud
site-cloud-enabled = This site is enabled for the cloud.
site-cloud-resend = Send the activation data again
site-cloud-resend-help = The site code and a new activation code go to { $email }. The previous activation code stops working; a program already connected stays connected.
site-services = Monthly services
site-services-rule = A service is billed from the day it is switched on: the month in which it is switched on is charged in full, whatever the day, and the month in which it is switched off is not charged. Each switch is confirmed by mail.
site-services-no-switch = Switching a service on or off needs the right to approve actions with follow-up costs.
site-services-none = No service is offered yet.
site-service-on = on
site-service-off = off
site-service-price = { $price } a month
site-service-since = on since { $date }
site-service-switch-on = Switch on
site-service-switch-off = Switch off
site-service-confirm-on = Switch { $name } on for this site?
site-service-rule-on = It costs { $price } a month, billed from today: this month is charged in full, whatever the day, and the month in which you switch it off is not charged. The account is sent a confirmation by mail.
site-service-confirm-on-button = Switch on for { $price } a month
site-service-confirm-off = Switch { $name } off for this site?
site-service-rule-off = It stops at once, and this month is not charged. The account is sent a confirmation by mail.
site-service-confirm-off-button = Switch off now
site-users = Users of this site
site-users-help = They sign in as ADMIN with their username, their password and the site code, and see this site only, with their groups' rights.
site-users-none = This site has no users yet.
site-user-remove = Remove
site-user-remove-named = Remove { $name }
site-user-new = New user
site-user-username = Username
site-user-password-hint = At least { $n } characters.
site-user-groups = Groups (the user holds their rights)
site-user-add = Add the user
site-operations = Recent operations
site-operations-all = All operations of this site
site-operations-none = Nothing has been recorded for this site yet.
site-op-at = When
site-op-actor = Who
site-op-operation = What
site-op-outcome = Outcome
site-op-ok = done
site-op-refused = refused
site-op-failed = failed
site-done-data = The identification data is saved.
site-done-technical = The technician and charging points are saved.
site-done-codes = The activation data is on its way to the site's representative.
site-done-user-added = The user is added.
site-done-user-removed = The user is removed; their sessions have ended.
site-done-service-on = Switched on. The account is sent a confirmation by mail.
site-done-service-off = Switched off. The account is sent a confirmation by mail.
error-EVSE_ID_INVALID = This is not an EVSE ID; one looks like DE*ABC*E123456*1.
error-EVSE_ID_TAKEN = Another site already lists one of these charging points.
error-TOO_MANY_EVSE_IDS = A site lists at most 500 charging points.
error-SERVICE_ALREADY_ON = The service is already on at this site.
error-SERVICE_NOT_ON = The service is not on at this site.
error-SERVICE_NOT_FOUND = There is no such service.
error-SITE_NOT_ACTIVE = The site's program has not been activated on a machine, so its services cannot be switched.
error-SITE_EMAIL_MISSING = The site has no representative email yet: its program sends it with the site data.
error-USER_NOT_FOUND = There is no such user.
error-USER_DISABLED = This user is disabled. The account's administrator can enable it again.
error-GROUP_NOT_FOUND = There is no such group.
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
error-TERMS_NOT_ACCEPTED = Accept the terms and conditions to go on.
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
error-VAT_RATE_UNKNOWN = The vendor has not set a VAT rate for this country yet. Contact the vendor.
error-BILLING_NOT_CONFIGURED = The vendor has not set up invoicing yet, so nothing can be ordered now.
error-PAYMENTS_NOT_CONFIGURED = The vendor has not set up payments yet.
error-ORDER_NOT_FOUND = There is no such order in your account.
error-ORDER_ALREADY_PAID = The order is paid already.
error-ORDER_CANCELLED = The order was cancelled.
error-ORDER_EXPIRED = The order was not paid in time and has expired. Place a new one.
error-AMOUNT_MISMATCH = The payment's amount or currency is not the order's.
error-PAYMENT_ID_REUSED = This payment was recorded for another order.
error-INVOICE_NOT_FOUND = There is no such invoice in your account.

## Users, groups and rights
nav-users = Users
users-title = Users and groups
users-groups = Groups
users-groups-help = Rights are given to groups: everyone in a group holds its rights. Open a group to switch its rights on or off and to choose its members.
users-groups-none = There are no groups yet.
users-col-group = Group
users-col-rights = Rights
users-col-members = Members
users-group-members = { $n ->
    [one] One member
   *[other] { $n } members
}
users-no-rights = no rights yet
users-group-new = New group
users-group-name = Name of the group
users-group-create = Create the group
users-users = Users
users-users-help = Users sign in on the account's tab of the sign-in page with their username and password, and hold the rights of their groups.
users-users-none = There are no users yet.
users-user-groups-none = in no group
users-user-remove = Remove
users-user-remove-named = Remove { $name }
users-user-disabled = disabled
users-user-disabled-since = Disabled since { $when }: cannot sign in.
users-user-disable = Disable
users-user-disable-named = Disable { $name }
users-user-enable = Enable
users-user-enable-named = Enable { $name }
users-user-new = New user
users-username = Username
users-password = Password
users-password-confirm = Password again
users-password-hint = At least { $n } characters.
users-user-groups = Groups (the user holds their rights)
users-user-add = Add the user
users-done-user-added = The user is added and can sign in now.
users-done-user-removed = The user is removed; their sessions have ended.
users-done-user-disabled = The user is disabled: their sessions have ended, and they cannot sign in until enabled again.
users-done-user-enabled = The user is enabled again and can sign in with their password.
users-done-group-created = The group is created. Switch on its rights and choose its members.
users-done-group-renamed = The group is renamed.
users-done-group-removed = The group is removed. Its members keep the rights of their other groups.
users-done-members-saved = The members are saved.
users-done-right-on = Switched on: the group's members hold this right from their next click.
users-done-right-off = Switched off: the group's members lose this right from their next click.
group-back = Back to users and groups
group-kind = Group
group-rights = Rights
group-rights-help = Switch a right on to give it to everyone in the group, off to take it back.
group-right-on = ON
group-right-off = OFF
group-members = Members
group-members-help = Tick who belongs to the group, then save.
group-members-users = Users of the account
group-members-site-users = Users of the sites
group-members-none = There are no users to choose from yet: add them under Users, or on a site's page.
group-members-save = Save the members
group-settings = Name and removal
group-rename = Rename
group-remove = Remove the group
group-remove-help = Its members stay, with the rights of their other groups.
right-sites-operations-view = Station operations tab
right-sites-operations-view-help = Shows the operations-management tab on each station's data sheet: its monthly services, where they are switched.
right-operations-view = Operations log
right-operations-view-help = Reads the operations log of the account (a site user: of its site) and exports it as CSV.
right-actions-costly-approve = Approve costs
right-actions-costly-approve-help = Can approve actions with follow-up costs, such as switching a paid service on or off (with the operations tab).
right-sites-technical-edit = Technician and charging points
right-sites-technical-edit-help = Edits a site's technician contact and its charging points (EVSE IDs).
right-invoices-view = Invoices
right-invoices-view-help = Sees the account's invoices and invoice lines.
right-sites-manage = Sites and keys
right-sites-manage-help = Adds product keys, changes a site's identification data, releases installations and enables sites for the cloud.
right-users-manage = User management
right-users-manage-help = Adds and removes users and groups, switches the groups' rights and gives sites their users.
right-sync-conflicts-resolve = Sync conflicts
right-sync-conflicts-resolve-help = Decides the cloud sync's conflicts: keeps the cloud's record, the site's, or an edited one.
error-GROUP_EXISTS = The account has a group of this name already.
error-RIGHT_UNKNOWN = There is no such right.

## Operations log
nav-operations = Operations
ops-title = Operations log
ops-help = Every change made in the account: who did it, what, when, at which site, and how it ended.
ops-help-site = Every change made at your site: who did it, what, when, and how it ended.
ops-filters = Filter the operations
ops-col-site = Site
ops-operation-hint = Part of it, such as services or DELETE.
ops-from = From
ops-to = To
ops-clear = Clear the filters
ops-shown = { $n ->
    [one] The latest operation
   *[other] The latest { $n } operations
}
ops-shown-older = { $n ->
    [one] One older operation
   *[other] { $n } older operations
}
ops-export = Export CSV
ops-none = No operation matches.
ops-newest = Newest
ops-older = Older
error-INVALID_TIMESTAMP = This is not a date.
error-OUTCOME_INVALID = Choose done, refused or failed.
error-INVALID_QUERY = A filter is too long.
op-sign-in = Operator sign-in
op-sign-in-help = The console of the vendor's staff. Customers sign in on the customer sign-in page.
op-nav-catalog = Catalog
op-nav-plans = Plans
op-catalog-title = Catalog
op-catalog-back = ← All products
op-products = Products
op-products-none = There are no products yet.
op-product-code = Code
op-code-hint = Lower-case letters, digits and dashes; it never changes.
op-product-name = Name
op-product-grace-days = Days without a check before the client locks
op-product-grace-days-hint = 1 to 365; 10 when left empty.
op-product-max-transfers = Moves to another machine without deactivating first
op-product-max-transfers-hint = 0 to 1000; 0 when left empty (deactivate first).
op-product-new = New product
op-product-create = Create the product
op-product-policy = Locks after { $grace ->
    [one] one day
   *[other] { $grace } days
} without a check · { $transfers ->
    [0] no moves without deactivating
    [one] one move without deactivating
   *[other] { $transfers } moves without deactivating
}
op-editions = Editions
op-editions-help = Lowest first; a new edition ranks above the existing ones.
op-sizes = Sizes
op-modules = Modules
op-policy = Licence policy
op-none-yet = None yet.
op-entry-code = Code
op-entry-name = Name
op-size-limits = Limits
op-size-limits-hint = name=number, separated by commas: drivers=5, users=10
op-add-edition = Add an edition
op-add-size = Add a size
op-add-module = Add a module
op-add = Add
op-done-edition = The edition was added.
op-done-size = The size was added.
op-done-module = The module was added.
op-plans-title = Plans
op-plans = Plans on sale
op-plans-none = There are no plans yet.
op-plan-code = Code
op-plan-name = Name
op-plan-service = Service
op-plan-service-hint = An account holds one subscription per service: cloud for the cloud service.
op-plan-article = Article code
op-plan-price = Price per site and term
op-plan-price-hint = An amount such as 300.00, excluding VAT.
op-plan-currency = Currency
op-plan-period = Months in a paid term
op-plan-trial-months = Months of the free trial (0: none)
op-plan-trial-sites = Sites the trial may enable
op-plan-product = Product
op-plan-bundles = Editions and sizes covered
op-plan-bundles-hint = edition/size, separated by commas: standard/small, premium/large
op-plan-trial-col = Trial
op-plan-price-per = { $price } per site for { $months } months
op-plan-no-trial = no trial
op-plan-trial = { $months ->
    [one] one month
   *[other] { $months } months
}, up to { $sites ->
    [one] one site
   *[other] { $sites } sites
}
op-plan-new = New plan
op-plan-create = Add the plan
op-done-plan = The plan was added.
op-nav-keys = Product keys
op-keys-title = Product keys
op-keys-back = ← Product keys
op-key-find = Find a key
op-key = Product key
op-key-find-button = Find
op-key-not-found = No key like this was issued.
op-batches = Batches
op-batches-none = No batch was ordered yet.
op-batch = Batch
op-batch-kind = Product, edition and size
op-batch-keys = Keys
op-batch-note = Note
op-batch-note-hint = For whom, e.g. the reseller and their order.
op-batch-made = Ordered
op-batch-count = Number of keys
op-batch-order = Order a batch
op-batch-order-button = Order the keys
op-batch-progress = { $done } of { $all } keys made
op-batch-csv = Download the keys (CSV)
op-batch-fill = Make the next keys
op-key-state = The key
op-key-status = State
op-key-status-issued = issued, not yet registered
op-key-status-registered = registered to an account
op-key-status-activated = activated at a site
op-key-status-revoked = revoked
op-key-installation = Installation
op-key-account = account
op-key-not-registered = not registered yet
op-key-revoke = Revoke the key
op-key-revoke-help = A revoked key stops working at its site at the next check and can never be used again. The reason stays in its history.
op-key-reason = Reason
op-key-revoke-button = Revoke
op-key-edition-change = Change the edition
op-key-edition = New edition
op-key-edition-button = Change the edition
op-key-done-revoked = The key was revoked.
op-key-done-edition = The edition was changed.
op-key-history = History
op-when = When
op-what = What
op-who = Who
op-detail = Detail
