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
cloud-state = { $state } until { $end }
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
