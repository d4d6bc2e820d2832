//! Amounts as people read them: on invoices, in mails and in the portal. The same in every
//! language, so a mail's context can carry them ready-made.

/// `4900` and `EUR` as `49.00 EUR`; `-25` as `-0.25 EUR`.
pub fn money(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", abs / 100, abs % 100)
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
        assert_eq!(rate(2200), "22.00%");
        assert_eq!(rate(550), "5.50%");
    }
}
