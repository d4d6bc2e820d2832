//! VAT numbers of business customers, checked offline against their country's format.
//!
//! This says whether a number *can* be a VAT number of that country, not whether a tax
//! authority issued it (that would take a VIES or HMRC lookup, which is I/O).
//!
//! * Countries: the 27 EU member states (the national formats of the EU's VIES list),
//!   Switzerland (the UID `CHE-999.999.999`, with or without its `MWST`/`TVA`/`IVA`/`TPV`
//!   suffix), the United Kingdom and the United States (an EIN, `12-3456789`).
//! * Check digits are verified for **IT** (partita IVA, Luhn), **DE** (ISO 7064 MOD 11,10) and
//!   **CH** (UID, weighted mod 11); US numbers must not start with a prefix the IRS never
//!   assigns. Every other country is checked for its format only: a mistyped digit there passes.
//! * Input is forgiving: whitespace, dots and dashes are dropped, letters may be lower case and
//!   the country prefix may be left out (`"007 431 101 57"` for IT is `IT00743110157`). A prefix
//!   of another supported country is refused as [`VatError::CountryMismatch`].
//! * The canonical form is the VAT prefix followed by the national number, upper case, with
//!   nothing in between. Greece is `GR` as a country (ISO 3166-1) but its VAT prefix is `EL`:
//!   `GR`-prefixed input is accepted and written `EL…`. Switzerland's prefix is `CHE`.
//! * Country codes are ISO 3166-1 alpha-2 in any case; `EL` is not one, so it is not accepted as
//!   a country.

use std::fmt;

/// A VAT number in canonical form: the country prefix + the national number, uppercase,
/// without spaces, dots or dashes ("IT12345678903", "CHE116281710", "GB123456789", "US123456789").
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct VatNumber(String);

impl VatNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// ISO 3166-1 alpha-2 code of the issuing country: "GR" for Greece even though its VAT
    /// prefix is EL, "CH" for a `CHE…` number.
    pub fn country(&self) -> &str {
        // Canonical numbers are ASCII and start with a prefix of at least two letters.
        match &self.0[..2] {
            "EL" => "GR",
            code => code,
        }
    }
}

impl fmt::Display for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("VAT numbers of this country cannot be checked (supported: the EU, CH, GB and US)")]
    UnsupportedCountry,
    #[error("this is not a VAT number of the chosen country: expected {expected}")]
    Format { expected: &'static str },
    #[error("the VAT number is mistyped: the check digit does not match")]
    Checksum,
    #[error("the VAT number carries the prefix of another country than the one chosen")]
    CountryMismatch,
}

/// Checks `input` as a VAT number of `country` (ISO 3166-1 alpha-2, any case) and returns it in
/// canonical form.
pub fn check_vat(country: &str, input: &str) -> Result<VatNumber, VatError> {
    let rule = RULES
        .iter()
        .find(|rule| rule.country.eq_ignore_ascii_case(country.trim()))
        .ok_or(VatError::UnsupportedCountry)?;
    let mut compact: String = input
        .chars()
        .filter(|&c| !c.is_whitespace() && c != '.' && c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if let Some(kept) = rule
        .suffixes
        .iter()
        .find_map(|suffix| compact.strip_suffix(suffix).map(str::len))
    {
        compact.truncate(kept);
    }
    if compact.is_empty() {
        return Err(rule.format_error());
    }

    let after_prefix = rule
        .prefixes
        .iter()
        .find_map(|prefix| compact.strip_prefix(prefix));
    // Without its prefix first; then as a bare national number, for national numbers that
    // happen to start with the prefix's letters (a French key "FR").
    let national = after_prefix
        .filter(|national| rule.fits(national))
        .or_else(|| Some(compact.as_str()).filter(|national| rule.fits(national)));
    let Some(national) = national else {
        if after_prefix.is_none() && has_foreign_prefix(rule, &compact) {
            return Err(VatError::CountryMismatch);
        }
        return Err(rule.format_error());
    };
    if let Some(check) = rule.check {
        check(national)?;
    }
    Ok(VatNumber(format!("{}{national}", rule.prefixes[0])))
}

/// Checks a VAT number that carries its own country prefix ("IT00743110157",
/// "CHE-116.281.710 MWST", "EL094259216"), as a client that knows no country types it.
pub fn check_prefixed_vat(input: &str) -> Result<VatNumber, VatError> {
    let letters: String = input
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(2)
        .collect::<String>()
        .to_ascii_uppercase();
    let country = if letters == "EL" {
        "GR"
    } else {
        letters.as_str()
    };
    check_vat(country, input)
}

/// A VAT number typed without its country prefix ("00743110157", as seed 002's license
/// manager asks for the plain partita IVA) read as a number of every country whose format
/// and check digit it fits, in canonical form. Empty when none fits.
pub fn bare_vat_candidates(input: &str) -> Vec<VatNumber> {
    let mut found: Vec<VatNumber> = RULES
        .iter()
        .filter_map(|rule| check_vat(rule.country, input).ok())
        .collect();
    found.dedup();
    found
}

/// Whether `input` starts with a country prefix (two letters before any digit).
pub fn has_country_prefix(input: &str) -> bool {
    let mut symbols = input.chars().filter(char::is_ascii_alphanumeric);
    matches!(
        (symbols.next(), symbols.next()),
        (Some(a), Some(b)) if a.is_ascii_alphabetic() && b.is_ascii_alphabetic()
    )
}

/// ISO 3166-1 alpha-2 codes whose VAT format is known (EU 27, CH, GB, US), sorted.
pub fn supported_countries() -> &'static [&'static str] {
    &SUPPORTED
}

/// Does `compact` start with the country code or VAT prefix of a supported country other than
/// `own`'s?
fn has_foreign_prefix(own: &Rule, compact: &str) -> bool {
    RULES
        .iter()
        .filter(|rule| rule.country != own.country)
        .any(|rule| {
            compact.starts_with(rule.country)
                || rule
                    .prefixes
                    .iter()
                    .any(|prefix| compact.starts_with(prefix))
        })
}

/// A test on a national number that fits its country's pattern (check digits and the like).
type Check = fn(&str) -> Result<(), VatError>;

/// One country's VAT number format.
struct Rule {
    /// ISO 3166-1 alpha-2.
    country: &'static str,
    /// Prefixes accepted in input, tried in order; the first is the canonical one.
    prefixes: &'static [&'static str],
    /// Shapes of the national number (after the prefix), in the pattern language of [`fits`].
    patterns: &'static [&'static str],
    /// Trailing words dropped from the input (the Swiss "MWST").
    suffixes: &'static [&'static str],
    /// Said in [`VatError::Format`].
    expected: &'static str,
    /// Runs on a national number that fits a pattern: check digits and the like.
    check: Option<Check>,
}

impl Rule {
    const fn new(
        country: &'static str,
        prefixes: &'static [&'static str],
        patterns: &'static [&'static str],
        expected: &'static str,
    ) -> Self {
        Rule {
            country,
            prefixes,
            patterns,
            suffixes: &[],
            expected,
            check: None,
        }
    }

    const fn checked_by(mut self, check: Check) -> Self {
        self.check = Some(check);
        self
    }

    const fn dropping(mut self, suffixes: &'static [&'static str]) -> Self {
        self.suffixes = suffixes;
        self
    }

    fn fits(&self, national: &str) -> bool {
        self.patterns.iter().any(|pattern| fits(pattern, national))
    }

    fn format_error(&self) -> VatError {
        VatError::Format {
            expected: self.expected,
        }
    }
}

/// Does `text` have the shape `pattern`? One pattern byte per text byte:
///
/// * `9` a digit; `a` a letter A–Z; `x` a letter or a digit;
/// * `k` a letter or a digit other than I and O (the French key);
/// * `s` a letter, a digit, `+` or `*` (VIES's "S", the second symbol of old Irish numbers);
/// * anything else (upper-case letters, digits 0–8) stands for itself.
///
/// Text is compared upper case; non-ASCII text never fits.
fn fits(pattern: &str, text: &str) -> bool {
    pattern.len() == text.len()
        && pattern.bytes().zip(text.bytes()).all(|(p, c)| match p {
            b'9' => c.is_ascii_digit(),
            b'a' => c.is_ascii_uppercase(),
            b'x' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            b'k' => (c.is_ascii_uppercase() || c.is_ascii_digit()) && c != b'I' && c != b'O',
            b's' => c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'+' || c == b'*',
            literal => c == literal,
        })
}

const US_EXPECTED: &str =
    "US + 9 digits (an EIN, 12-3456789) that start with a prefix the IRS assigns";

/// One row per country, sorted by ISO code (`supported_countries` is read from it).
const RULES: [Rule; 30] = [
    Rule::new("AT", &["AT"], &["U99999999"], "ATU + 8 digits"),
    Rule::new(
        "BE",
        &["BE"],
        &["0999999999", "1999999999"],
        "BE + 10 digits starting with 0 or 1",
    ),
    Rule::new(
        "BG",
        &["BG"],
        &["999999999", "9999999999"],
        "BG + 9 or 10 digits",
    ),
    Rule::new(
        "CH",
        &["CHE"],
        &["999999999"],
        "CHE + 9 digits (CHE-123.456.789)",
    )
    .dropping(&["MWST", "TVA", "IVA", "TPV"])
    .checked_by(ch_check_digit),
    Rule::new("CY", &["CY"], &["99999999a"], "CY + 8 digits + a letter"),
    Rule::new(
        "CZ",
        &["CZ"],
        &["99999999", "999999999", "9999999999"],
        "CZ + 8 to 10 digits",
    ),
    Rule::new("DE", &["DE"], &["999999999"], "DE + 9 digits").checked_by(de_check_digit),
    Rule::new("DK", &["DK"], &["99999999"], "DK + 8 digits"),
    Rule::new("EE", &["EE"], &["999999999"], "EE + 9 digits"),
    Rule::new(
        "ES",
        &["ES"],
        &["a9999999x", "99999999a"],
        "ES + 9 characters: a letter or digit, 7 digits, a letter or digit (not both digits)",
    ),
    Rule::new("FI", &["FI"], &["99999999"], "FI + 8 digits"),
    Rule::new(
        "FR",
        &["FR"],
        &["kk999999999"],
        "FR + 2 letters or digits (no I or O) + 9 digits",
    ),
    Rule::new(
        "GB",
        &["GB"],
        &["999999999", "999999999999", "GD999", "HA999"],
        "GB + 9 or 12 digits, or GBGD/GBHA + 3 digits",
    ),
    Rule::new("GR", &["EL", "GR"], &["999999999"], "EL + 9 digits"),
    Rule::new("HR", &["HR"], &["99999999999"], "HR + 11 digits"),
    Rule::new("HU", &["HU"], &["99999999"], "HU + 8 digits"),
    Rule::new(
        "IE",
        &["IE"],
        &["9s99999a", "9999999aa"],
        "IE + 8 or 9 characters (1234567T, 1A23456T or 1234567TA)",
    ),
    Rule::new("IT", &["IT"], &["99999999999"], "IT + 11 digits").checked_by(it_check_digit),
    Rule::new(
        "LT",
        &["LT"],
        &["999999999", "999999999999"],
        "LT + 9 or 12 digits",
    ),
    Rule::new("LU", &["LU"], &["99999999"], "LU + 8 digits"),
    Rule::new("LV", &["LV"], &["99999999999"], "LV + 11 digits"),
    Rule::new("MT", &["MT"], &["99999999"], "MT + 8 digits"),
    Rule::new(
        "NL",
        &["NL"],
        &["999999999B99"],
        "NL + 9 digits + B + 2 digits",
    ),
    Rule::new("PL", &["PL"], &["9999999999"], "PL + 10 digits"),
    Rule::new("PT", &["PT"], &["999999999"], "PT + 9 digits"),
    Rule::new(
        "RO",
        &["RO"],
        &[
            "99",
            "999",
            "9999",
            "99999",
            "999999",
            "9999999",
            "99999999",
            "999999999",
            "9999999999",
        ],
        "RO + 2 to 10 digits",
    ),
    Rule::new(
        "SE",
        &["SE"],
        &["999999999901"],
        "SE + 12 digits ending in 01",
    ),
    Rule::new("SI", &["SI"], &["99999999"], "SI + 8 digits"),
    Rule::new("SK", &["SK"], &["9999999999"], "SK + 10 digits"),
    Rule::new("US", &["US"], &["999999999"], US_EXPECTED).checked_by(us_ein_prefix),
];

static SUPPORTED: [&str; RULES.len()] = {
    let mut codes = [""; RULES.len()];
    let mut i = 0;
    while i < RULES.len() {
        codes[i] = RULES[i].country;
        i += 1;
    }
    codes
};

/// The values of an all-digit national number (the patterns guarantee the digits).
fn digits(national: &str) -> impl Iterator<Item = u32> + '_ {
    national.bytes().map(|b| u32::from(b - b'0'))
}

fn expect_digit(computed: u32, national: &str) -> Result<(), VatError> {
    match digits(national).last() {
        Some(given) if given == computed => Ok(()),
        _ => Err(VatError::Checksum),
    }
}

/// Partita IVA: Luhn over the first 10 digits (every second one doubled, 9 taken off above 9);
/// the 11th makes the sum a multiple of 10.
fn it_check_digit(national: &str) -> Result<(), VatError> {
    let sum: u32 = digits(national)
        .take(10)
        .enumerate()
        .map(|(i, d)| match (i % 2, d * 2) {
            (0, _) => d,
            (_, doubled) if doubled > 9 => doubled - 9,
            (_, doubled) => doubled,
        })
        .sum();
    expect_digit((10 - sum % 10) % 10, national)
}

/// German USt-IdNr.: ISO 7064 MOD 11,10 over the first 8 digits.
fn de_check_digit(national: &str) -> Result<(), VatError> {
    let product = digits(national).take(8).fold(10, |product, d| {
        let sum = match (d + product) % 10 {
            0 => 10,
            sum => sum,
        };
        (2 * sum) % 11
    });
    expect_digit((11 - product) % 10, national)
}

/// Swiss UID: weights 5,4,3,2,7,6,5,4 on the first 8 digits, check = 11 − sum mod 11
/// (11 is written 0; 10 is never issued).
fn ch_check_digit(national: &str) -> Result<(), VatError> {
    const WEIGHTS: [u32; 8] = [5, 4, 3, 2, 7, 6, 5, 4];
    let sum: u32 = digits(national).zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        10 => Err(VatError::Checksum),
        11 => expect_digit(0, national),
        check => expect_digit(check, national),
    }
}

/// EIN prefixes the IRS has never assigned.
const UNUSED_EIN_PREFIXES: [&str; 17] = [
    "00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96",
    "97",
];

fn us_ein_prefix(national: &str) -> Result<(), VatError> {
    if UNUSED_EIN_PREFIXES
        .iter()
        .any(|prefix| national.starts_with(prefix))
    {
        return Err(VatError::Format {
            expected: US_EXPECTED,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bare_number_is_read_in_every_country_it_fits() {
        let found: Vec<String> = super::bare_vat_candidates("00743110157")
            .iter()
            .map(|v| v.as_str().to_owned())
            .collect();
        assert!(found.contains(&"IT00743110157".to_owned()), "{found:?}");
        // A wrong Italian check digit: not Italian, still 11 digits elsewhere.
        let mistyped = super::bare_vat_candidates("00743110158");
        assert!(mistyped.iter().all(|v| !v.as_str().starts_with("IT")));
        assert!(super::bare_vat_candidates("1234567890123456789012345").is_empty());
        assert!(super::has_country_prefix("IT00743110157"));
        assert!(super::has_country_prefix("che-116.281.710"));
        assert!(!super::has_country_prefix("00743110157"));
    }

    use super::*;

    #[test]
    fn prefixed_numbers_name_their_country() {
        assert_eq!(
            check_prefixed_vat("it 007 431 101 57").unwrap().as_str(),
            "IT00743110157"
        );
        assert_eq!(
            check_prefixed_vat("CHE-116.281.710 MWST")
                .unwrap()
                .country(),
            "CH"
        );
        assert_eq!(check_prefixed_vat("EL094259216").unwrap().country(), "GR");
        assert_eq!(
            check_prefixed_vat("00743110157"),
            Err(VatError::UnsupportedCountry)
        );
    }
    use proptest::prelude::*;

    /// (country, canonical number) — real-looking numbers; where the country has a public
    /// check-digit rule (even one this module does not check) they pass it too.
    const VALID: &[(&str, &str)] = &[
        ("AT", "ATU13585627"),
        ("BE", "BE0403170701"),
        ("BE", "BE1000000021"),
        ("BG", "BG175074752"),
        ("BG", "BG7523169263"),
        ("CH", "CHE116281710"),
        ("CH", "CHE107787577"),
        ("CY", "CY10259033P"),
        ("CZ", "CZ25123891"),
        ("CZ", "CZ641001008"),
        ("CZ", "CZ7103192745"),
        ("DE", "DE136695976"),
        ("DK", "DK13585628"),
        ("EE", "EE100931558"),
        ("ES", "ESA28015865"),
        ("ES", "ESB12345674"),
        ("ES", "ESX1234567L"),
        ("ES", "ES12345678Z"),
        ("FI", "FI20774740"),
        ("FR", "FR40303265045"),
        ("FR", "FRK7399859412"),
        ("GB", "GB980780684"),
        ("GB", "GB980780684001"),
        ("GB", "GBGD001"),
        ("GB", "GBHA500"),
        ("GR", "EL094259216"),
        ("HR", "HR33392005961"),
        ("HU", "HU10597190"),
        ("IE", "IE6388047V"),
        ("IE", "IE8Z49289F"),
        ("IE", "IE3628739UA"),
        ("IT", "IT00743110157"),
        ("LT", "LT119511515"),
        ("LT", "LT100001919017"),
        ("LU", "LU26375245"),
        ("LV", "LV40003521600"),
        ("MT", "MT11679112"),
        ("NL", "NL004495445B01"),
        ("NL", "NL859048110B01"),
        ("PL", "PL5260250274"),
        ("PT", "PT501442600"),
        ("RO", "RO19"),
        ("RO", "RO1630608"),
        ("RO", "RO18547290"),
        ("SE", "SE556056625801"),
        ("SI", "SI50223054"),
        ("SK", "SK2020270780"),
        ("US", "US942404110"),
    ];

    fn ok(country: &str, input: &str) -> String {
        match check_vat(country, input) {
            Ok(vat) => vat.to_string(),
            Err(e) => panic!("{country} {input:?}: {e}"),
        }
    }

    fn format_error(country: &str) -> VatError {
        RULES
            .iter()
            .find(|rule| rule.country == country)
            .unwrap()
            .format_error()
    }

    #[test]
    fn real_looking_numbers_of_every_country_pass_with_and_without_prefix() {
        for &(country, canonical) in VALID {
            let vat = check_vat(country, canonical).unwrap_or_else(|e| panic!("{canonical}: {e}"));
            assert_eq!(vat.as_str(), canonical);
            assert_eq!(vat.to_string(), canonical);
            assert_eq!(vat.country(), country);
            let prefix_len = if country == "CH" { 3 } else { 2 };
            assert_eq!(ok(country, &canonical[prefix_len..]), canonical);
        }
        let mut covered: Vec<&str> = VALID.iter().map(|&(country, _)| country).collect();
        covered.dedup();
        assert_eq!(covered, supported_countries());
    }

    #[test]
    fn supported_countries_are_the_eu_ch_gb_and_us_sorted() {
        let countries = supported_countries();
        assert_eq!(countries.len(), 30);
        assert!(countries.windows(2).all(|w| w[0] < w[1]), "{countries:?}");
        let eu = [
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
            "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        ];
        for code in eu.iter().chain(&["CH", "GB", "US"]) {
            assert!(countries.contains(code), "{code}");
        }
        for rule in &RULES {
            assert!(rule.prefixes[0].starts_with(rule.country) || rule.country == "GR");
            assert!(!rule.patterns.is_empty());
        }
    }

    #[test]
    fn input_is_trimmed_folded_and_stripped_of_separators() {
        assert_eq!(ok("it", " it 007-431.101 57 "), "IT00743110157");
        assert_eq!(ok("It", "\t00743110157\n"), "IT00743110157");
        assert_eq!(ok("de", "de 136 695 976"), "DE136695976");
        assert_eq!(ok(" DE ", "DE-136.695.976"), "DE136695976");
        assert_eq!(ok("at", "atu 1358 5627"), "ATU13585627");
        assert_eq!(ok("nl", "nl 8590.48.110.b01"), "NL859048110B01");
        assert_eq!(ok("es", "x-1234567-l"), "ESX1234567L");
        assert_eq!(ok("gb", "gb 980 7806 84"), "GB980780684");
        assert_eq!(ok("gb", "gd001"), "GBGD001");
        assert_eq!(ok("us", "94-2404110"), "US942404110");
        assert_eq!(ok("US", "us 94-2404110"), "US942404110");
        assert_eq!(ok("fr", "fr k7 399859412"), "FRK7399859412");
    }

    #[test]
    fn empty_input_is_a_format_error() {
        for (country, input) in [
            ("IT", ""),
            ("IT", "   "),
            ("IT", " - . -"),
            ("IT", "it "),
            ("CH", "CHE"),
            ("CH", "MWST"),
        ] {
            assert_eq!(
                check_vat(country, input),
                Err(format_error(country)),
                "{input:?}"
            );
        }
    }

    #[test]
    fn wrong_lengths_are_refused() {
        for (country, input) in [
            ("IT", "0074311015"),
            ("IT", "IT007431101570"),
            ("DE", "13669597"),
            ("DE", "DE1366959760"),
            ("AT", "ATU1358562"),
            ("NL", "NL859048110B1"),
            ("LT", "LT1195115150"),
            ("RO", "RO1"),
            ("RO", "RO12345678901"),
            ("CH", "CHE-116.281.71"),
            ("GB", "GB98078068"),
            ("GB", "GBGD0011"),
            ("US", "94-240411"),
            ("IE", "IE6388047"),
            ("CY", "CY1025903P"),
        ] {
            assert_eq!(
                check_vat(country, input),
                Err(format_error(country)),
                "{input}"
            );
        }
    }

    #[test]
    fn letters_where_digits_belong_and_wrong_literals_are_refused() {
        for (country, input) in [
            ("IT", "IT0074311015A"),
            ("DE", "DE13669597O"),
            ("AT", "ATU1358562X"),
            ("AT", "AT113585627"),
            ("BE", "BE2403170701"),
            ("NL", "NL859048110C01"),
            ("SE", "SE556056625802"),
            ("ES", "ES123456789"),
            ("ES", "ESAB2345678"),
            ("FR", "FRO7399859412"),
            ("FR", "FRK739985941I"),
            ("CY", "CY102590339"),
            ("GB", "GBGE001"),
            ("GB", "GBHA50X"),
            ("US", "US94240411O"),
            ("IE", "IE63880471"),
            ("PL", "PL52602502 74 X"),
            ("CZ", "CZ２5123891"),
        ] {
            assert_eq!(
                check_vat(country, input),
                Err(format_error(country)),
                "{input}"
            );
        }
    }

    #[test]
    fn format_errors_say_the_expected_shape() {
        let err = check_vat("IT", "123").unwrap_err();
        assert_eq!(
            err,
            VatError::Format {
                expected: "IT + 11 digits"
            }
        );
        assert!(err.to_string().contains("IT + 11 digits"), "{err}");
        assert!(
            VatError::Checksum
                .to_string()
                .contains("check digit does not match")
        );
    }

    #[test]
    fn bad_check_digits_are_refused_in_it_de_and_ch() {
        assert_eq!(check_vat("IT", "00743110158"), Err(VatError::Checksum));
        assert_eq!(check_vat("IT", "IT00743110175"), Err(VatError::Checksum));
        assert_eq!(check_vat("DE", "136695977"), Err(VatError::Checksum));
        assert_eq!(check_vat("DE", "DE136695967"), Err(VatError::Checksum));
        assert_eq!(check_vat("CH", "CHE-116.281.711"), Err(VatError::Checksum));
        assert_eq!(
            check_vat("CH", "CHE-116.281.710 MWST"),
            Ok(VatNumber("CHE116281710".into()))
        );
        // Weighted sum 12 ≡ 1 (mod 11) asks for check digit 10, which is never issued.
        for last in 0..10 {
            assert_eq!(
                check_vat("CH", &format!("CHE00000003{last}")),
                Err(VatError::Checksum)
            );
        }
    }

    #[test]
    fn every_single_digit_typo_is_caught_where_there_is_a_check_digit() {
        for canonical in [
            "IT00743110157",
            "DE136695976",
            "CHE116281710",
            "CHE107787577",
        ] {
            let country = &canonical[..2];
            let prefix_len = if country == "CH" { 3 } else { 2 };
            for pos in prefix_len..canonical.len() {
                for digit in b'0'..=b'9' {
                    let mut typo = canonical.as_bytes().to_vec();
                    if typo[pos] == digit {
                        continue;
                    }
                    typo[pos] = digit;
                    let typo = String::from_utf8(typo).unwrap();
                    assert_eq!(check_vat(country, &typo), Err(VatError::Checksum), "{typo}");
                }
            }
        }
    }

    #[test]
    fn another_countrys_prefix_is_a_mismatch() {
        for (country, input) in [
            ("IT", "DE136695976"),
            ("DE", "IT00743110157"),
            ("DE", "ATU13585627"),
            ("FR", "CHE-116.281.710"),
            ("US", "GB980780684"),
            ("GB", "US942404110"),
            ("IT", "EL094259216"),
            ("IT", "GR094259216"),
            ("GR", "CY10259033P"),
            ("NL", "be0403170701"),
            ("CH", "DE136695976"),
            ("AT", "de 136 695 976"),
        ] {
            assert_eq!(
                check_vat(country, input),
                Err(VatError::CountryMismatch),
                "{country} {input}"
            );
        }
        // A French key may spell a country code: the number still fits France's format.
        assert_eq!(ok("FR", "DE303265045"), "FRDE303265045");
    }

    #[test]
    fn unsupported_countries_are_refused() {
        for country in ["JP", "jp", "", "EL", "XX", "ITA", "I", "EU", "XI"] {
            assert_eq!(
                check_vat(country, "12345678903"),
                Err(VatError::UnsupportedCountry),
                "{country:?}"
            );
        }
    }

    #[test]
    fn greece_is_gr_as_a_country_and_el_as_a_prefix() {
        for input in [
            "EL094259216",
            "GR094259216",
            "094259216",
            "el 094 259 216",
            "gr-094.259.216",
        ] {
            let vat = check_vat("GR", input).unwrap();
            assert_eq!(vat.as_str(), "EL094259216", "{input}");
            assert_eq!(vat.country(), "GR");
            assert_eq!(vat.to_string(), "EL094259216");
        }
        assert_eq!(check_vat("gr", "EL09425921"), Err(format_error("GR")));
    }

    #[test]
    fn swiss_numbers_drop_their_vat_suffix() {
        for input in [
            "CHE-116.281.710 MWST",
            "CHE-116.281.710 TVA",
            "CHE-116.281.710 IVA",
            "CHE-116.281.710 TPV",
            "che-116.281.710 mwst",
            "CHE116281710MWST",
            "116.281.710 TVA",
            "CHE-116.281.710",
        ] {
            let vat = check_vat("CH", input).unwrap();
            assert_eq!(vat.as_str(), "CHE116281710", "{input}");
            assert_eq!(vat.country(), "CH");
        }
        // The suffix is Swiss only, and only one is dropped.
        assert_eq!(check_vat("DE", "136695976 MWST"), Err(format_error("DE")));
        assert_eq!(
            check_vat("CH", "CHE-116.281.710 MWST TVA"),
            Err(format_error("CH"))
        );
        assert_eq!(check_vat("CH", "CH116281710"), Err(format_error("CH")));
    }

    #[test]
    fn us_eins_with_prefixes_the_irs_never_assigns_are_refused() {
        for prefix in UNUSED_EIN_PREFIXES {
            let input = format!("{prefix}-1234567");
            assert_eq!(
                check_vat("US", &input),
                Err(VatError::Format {
                    expected: US_EXPECTED
                }),
                "{input}"
            );
        }
        for prefix in ["01", "06", "10", "20", "27", "46", "98", "99"] {
            assert_eq!(
                ok("US", &format!("{prefix}-1234567")),
                format!("US{prefix}1234567")
            );
        }
    }

    #[test]
    fn the_pattern_language() {
        assert!(fits("99", "07"));
        assert!(!fits("99", "0A"));
        assert!(!fits("99", "007"));
        assert!(fits("a9", "Z9"));
        assert!(!fits("a9", "z9"));
        assert!(fits("xx", "A1"));
        assert!(fits("kk", "AZ"));
        assert!(!fits("k", "I") && !fits("k", "O"));
        assert!(fits("ssss", "A1+*") && !fits("s", "-"));
        assert!(fits("9B01", "7B01") && !fits("9B01", "7B02"));
        assert!(!fits("9", "٣"));
        assert!(fits("", ""));
    }

    /// Fills `pattern` with symbols chosen by `picks` (a literal stays itself).
    fn sample(pattern: &str, picks: &[u8]) -> String {
        const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const KEY: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        const S: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+*";
        pattern
            .bytes()
            .zip(picks.iter().cycle())
            .map(|(p, &pick)| {
                let from = |set: &[u8]| set[usize::from(pick) % set.len()];
                char::from(match p {
                    b'9' => b'0' + pick % 10,
                    b'a' => from(LETTERS),
                    b'x' => from(ALNUM),
                    b'k' => from(KEY),
                    b's' => from(S),
                    literal => literal,
                })
            })
            .collect()
    }

    proptest! {
        #[test]
        fn never_panics_and_canonical_output_rechecks_to_itself(
            country in prop_oneof![
                prop::sample::select(supported_countries()).prop_map(str::to_owned),
                "\\PC{0,3}",
            ],
            input in prop_oneof!["\\PC{0,24}", "[A-Za-z]{0,3}[0-9 .\\-]{0,14}[A-Za-z]{0,2}"],
        ) {
            if let Ok(vat) = check_vat(&country, &input) {
                prop_assert!(vat.as_str().bytes().all(|b| b.is_ascii_graphic()));
                prop_assert_eq!(check_vat(&country, vat.as_str()), Ok(vat.clone()));
                prop_assert_eq!(check_vat(vat.country(), &vat.to_string()), Ok(vat.clone()));
            }
        }

        #[test]
        fn numbers_of_the_right_shape_pass_unless_a_check_refuses_them(
            row in 0..RULES.len(),
            which in any::<prop::sample::Index>(),
            picks in prop::collection::vec(any::<u8>(), 1..16),
            with_prefix in any::<bool>(),
            lower in any::<bool>(),
            spaced in any::<bool>(),
        ) {
            let rule = &RULES[row];
            let pattern = *which.get::<&str>(rule.patterns);
            let national = sample(pattern, &picks);
            let mut input = if with_prefix {
                format!("{}{national}", rule.prefixes[0])
            } else {
                national.clone()
            };
            if lower {
                input = input.to_ascii_lowercase();
            }
            if spaced {
                input = input.chars().flat_map(|c| [c, ' ']).collect();
            }
            match check_vat(rule.country, &input) {
                Ok(vat) => {
                    prop_assert_eq!(vat.as_str(), format!("{}{national}", rule.prefixes[0]));
                    prop_assert_eq!(vat.country(), rule.country);
                    prop_assert_eq!(check_vat(rule.country, vat.as_str()), Ok(vat.clone()));
                }
                Err(e) => {
                    prop_assert!(rule.check.is_some(), "{} {}: {}", rule.country, input, e);
                    prop_assert!(rule.check.unwrap()(&national).is_err());
                }
            }
        }
    }
}
