//! Amounts as people read them: on invoices, in mails and in the portal. The same in every
//! language, so a mail's context can carry them ready-made. Amounts are kept in the
//! currency's minor unit, whose size is the currency's own (ISO 4217): cents for EUR, none
//! for JPY, thousandths for BHD.

/// The decimals of the currencies that do not have two (ISO 4217's minor units); every other
/// currency has two.
const DECIMALS: &[(&str, u32)] = &[
    // None.
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    // Three.
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    // Four.
    ("CLF", 4),
    ("UYW", 4),
];

/// How many decimals `currency`'s minor unit has: 0 for JPY, 2 for EUR, 3 for BHD.
pub fn decimals(currency: &str) -> u32 {
    DECIMALS
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(currency))
        .map_or(2, |&(_, d)| d)
}

/// `4900` and `EUR` as `49.00 EUR`; `-25` as `-0.25 EUR`; `4900` and `JPY` as `4900 JPY`;
/// `1500` and `BHD` as `1.500 BHD`.
pub fn money(minor: i64, currency: &str) -> String {
    format!("{} {currency}", amount(minor, currency))
}

/// The number alone, in the currency's decimals with a point: `4900` and `EUR` as `49.00`,
/// `4900` and `JPY` as `4900` (what a payment page's URL takes).
pub fn amount(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    match decimals(currency) {
        0 => format!("{sign}{abs}"),
        d => {
            let unit = 10u64.pow(d);
            let width = d as usize;
            format!("{sign}{}.{:0width$}", abs / unit, abs % unit)
        }
    }
}

/// A non-negative amount as typed (`300`, `300.5`, `300.50`; a comma for the point too) in
/// `currency`'s minor unit; None when it is no such amount, has more decimals than the
/// currency, or is beyond a trillion minor units.
pub fn parse_amount(typed: &str, currency: &str) -> Option<i64> {
    let typed = typed.trim().replace(',', ".");
    let (whole, fraction) = typed.split_once('.').unwrap_or((&typed, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let d = decimals(currency) as usize;
    if whole.is_empty() || whole.len() > 13 || !digits(whole) || !digits(fraction) {
        return None;
    }
    if fraction.len() > d || (typed.contains('.') && fraction.is_empty()) {
        return None;
    }
    let unit = 10i64.pow(d as u32);
    let cents = format!("{fraction:0<d$}");
    let minor = whole.parse::<i64>().ok()?.checked_mul(unit)?;
    let minor = minor.checked_add(if d == 0 { 0 } else { cents.parse().ok()? })?;
    (minor <= 1_000_000_000_000).then_some(minor)
}

/// Basis points as a percentage: `2200` as `22.00%`.
pub fn rate(bp: u32) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_rates_read_naturally() {
        assert_eq!(money(4900, "EUR"), "49.00 EUR");
        assert_eq!(money(109_805, "EUR"), "1098.05 EUR");
        assert_eq!(money(-25, "EUR"), "-0.25 EUR");
        assert_eq!(amount(36_600, "EUR"), "366.00");
        assert_eq!(amount(4900, "JPY"), "4900");
        assert_eq!(rate(2200), "22.00%");
        assert_eq!(rate(550), "5.50%");
    }

    #[test]
    fn amounts_are_read_as_typed_in_the_currencys_decimals() {
        assert_eq!(parse_amount("300", "EUR"), Some(30_000));
        assert_eq!(parse_amount(" 300.5 ", "EUR"), Some(30_050));
        assert_eq!(parse_amount("49,00", "EUR"), Some(4900));
        assert_eq!(parse_amount("0.07", "EUR"), Some(7));
        assert_eq!(parse_amount("4900", "JPY"), Some(4900));
        assert_eq!(parse_amount("1.5", "BHD"), Some(1500));
        for refused in [
            "", "-1", "1.234", "1.", ".5", "1e3", "12a", "1.2.3", "4900.5",
        ] {
            let currency = if refused == "4900.5" { "JPY" } else { "EUR" };
            assert_eq!(parse_amount(refused, currency), None, "{refused}");
        }
        assert_eq!(parse_amount("99999999999999", "EUR"), None);
        assert_eq!(
            amount(parse_amount("1098.05", "EUR").unwrap(), "EUR"),
            "1098.05"
        );
    }

    #[test]
    fn each_currency_has_its_own_decimals() {
        assert_eq!(money(4900, "JPY"), "4900 JPY");
        assert_eq!(money(-7, "KRW"), "-7 KRW");
        assert_eq!(money(1500, "BHD"), "1.500 BHD");
        assert_eq!(money(-5, "KWD"), "-0.005 KWD");
        assert_eq!(money(12_345, "CLF"), "1.2345 CLF");
        assert_eq!(money(4900, "USD"), "49.00 USD");
        assert_eq!(money(i64::MIN, "JPY"), "-9223372036854775808 JPY");
        assert_eq!(
            (
                decimals("jpy"),
                decimals("EUR"),
                decimals("BHD"),
                decimals("XYZ")
            ),
            (0, 2, 3, 2)
        );
    }
}
