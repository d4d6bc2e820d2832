//! Product keys (A2): 16 symbols shown as `XXXX-XXXX-XXXX-XXXX`.
//!
//! * Alphabet: 31 symbols, the digits 2–9 and the letters without I, L and O, so no two symbols
//!   look alike (0/O, 1/I/L are simply absent).
//! * The first 15 symbols are random (from the OS CSPRNG): 15 · log2(31) ≈ 74.3 bits.
//! * The 16th is a check symbol: the weighted sum Σ (i+1)·vᵢ over all 16 symbols is 0 mod 31.
//!   31 is prime and every weight is in 1..=16, so a change of one symbol changes the sum by
//!   w·d ≢ 0 (mod 31) and swapping neighbours i, i+1 changes it by vᵢ − vᵢ₊₁ ≢ 0: every
//!   single-symbol typo and every adjacent swap is refused before any database lookup.
//!
//! Keys sold under an earlier system (X5) keep the spelling they were issued in: any 4 to 40
//! letters and digits, read the same way (case, dashes and spaces ignored), with no check
//! symbol. [`ProductKey::any_format`] reads them; whether such a key exists is the store's
//! to say, and which spellings a product's imported keys may have is its
//! [`crate::key_format::KeyFormat`].

use std::fmt;
use std::str::FromStr;

use rand::{CryptoRng, Rng};

/// The symbols a key is written with, in value order.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Symbols in a key Tessera issues, check symbol included.
pub const KEY_LEN: usize = 16;
/// The fewest and the most symbols a key of an earlier system may have.
pub const ANY_FORMAT_LEN: std::ops::RangeInclusive<usize> = 4..=40;
const MAX_LEN: usize = 40;
const MODULUS: u32 = ALPHABET.len() as u32;

/// A well-formed product key: either one Tessera issues (16 symbols, check symbol right) or
/// one read in any format (4 to 40 letters and digits). Holds the symbols upper case, without
/// dashes; it does not say whether the key was ever issued.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductKey {
    len: u8,
    symbols: [u8; MAX_LEN],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a product key has 16 symbols (4 groups of 4), this one has {0}")]
    Length(usize),
    #[error("'{0}' is not a product key symbol (2–9 and A–Z without I, L, O)")]
    Symbol(char),
    #[error("the product key is mistyped: its check symbol does not match")]
    Checksum,
    #[error("a product key has 4 to 40 letters and digits, this one has {0}")]
    AnyFormatLength(usize),
    #[error("'{0}' is not in a product key (letters and digits, dashes and spaces between)")]
    AnyFormatSymbol(char),
}

fn value_of(symbol: u8) -> Option<u32> {
    ALPHABET.iter().position(|&s| s == symbol).map(|v| v as u32)
}

/// Σ (i+1)·vᵢ mod 31 over the given symbols (all must be in the alphabet).
fn weighted_sum(symbols: &[u8]) -> u32 {
    symbols.iter().enumerate().fold(0, |acc, (i, &s)| {
        let v = value_of(s).expect("symbols are checked before summing");
        (acc + (i as u32 + 1) * v) % MODULUS
    })
}

/// The check symbol that makes the weighted sum of `body` (15 symbols) plus it 0 mod 31.
fn check_symbol(body: &[u8]) -> u8 {
    debug_assert_eq!(body.len(), KEY_LEN - 1);
    let sum = weighted_sum(body);
    // Need 16·c ≡ −sum (mod 31). 16⁻¹ ≡ 2 (mod 31) because 16·2 = 32 ≡ 1.
    let c = (2 * (MODULUS - sum)) % MODULUS;
    ALPHABET[c as usize]
}

/// The symbols of `input` upper case, without the dashes and spaces between groups and the
/// white space around; `symbol_ok` says which symbols may appear (checked upper case).
fn symbols_of(input: &str, symbol_ok: impl Fn(u8) -> bool) -> Result<([u8; MAX_LEN], usize), char> {
    let mut symbols = [0u8; MAX_LEN];
    let mut n = 0;
    for ch in input.trim().chars() {
        if ch == '-' || ch == ' ' {
            continue;
        }
        let upper = ch.to_ascii_uppercase();
        if !upper.is_ascii() || !symbol_ok(upper as u8) {
            return Err(ch);
        }
        if n < MAX_LEN {
            symbols[n] = upper as u8;
        }
        n += 1;
    }
    Ok((symbols, n))
}

impl ProductKey {
    /// Parses what a person typed as a key Tessera issues: any case, dashes or spaces between
    /// groups, surrounding white space. Refuses a wrong length, a foreign symbol or a wrong
    /// check symbol.
    pub fn parse(input: &str) -> Result<Self, KeyError> {
        let (symbols, n) =
            symbols_of(input, |s| value_of(s).is_some()).map_err(KeyError::Symbol)?;
        if n != KEY_LEN {
            return Err(KeyError::Length(n));
        }
        if weighted_sum(&symbols[..KEY_LEN]) != 0 {
            return Err(KeyError::Checksum);
        }
        Ok(ProductKey {
            len: KEY_LEN as u8,
            symbols,
        })
    }

    /// Reads a key in any format (X5): 4 to 40 ASCII letters and digits, any case, dashes or
    /// spaces between groups; no check symbol is asked for. Keys Tessera issues read the same.
    pub fn any_format(input: &str) -> Result<Self, KeyError> {
        let (symbols, n) =
            symbols_of(input, |s| s.is_ascii_alphanumeric()).map_err(KeyError::AnyFormatSymbol)?;
        if !ANY_FORMAT_LEN.contains(&n) {
            return Err(KeyError::AnyFormatLength(n));
        }
        Ok(ProductKey {
            len: n as u8,
            symbols,
        })
    }

    /// A fresh random key. Pass the OS CSPRNG (`rand::rngs::OsRng`) outside tests.
    pub fn generate<R: Rng + CryptoRng>(rng: &mut R) -> Self {
        let mut symbols = [0u8; MAX_LEN];
        for s in symbols.iter_mut().take(KEY_LEN - 1) {
            *s = ALPHABET[rng.gen_range(0..ALPHABET.len())];
        }
        symbols[KEY_LEN - 1] = check_symbol(&symbols[..KEY_LEN - 1]);
        ProductKey {
            len: KEY_LEN as u8,
            symbols,
        }
    }

    /// The symbols without dashes: the form stored in the database.
    pub fn compact(&self) -> &str {
        std::str::from_utf8(&self.symbols[..usize::from(self.len)]).expect("symbols are ASCII")
    }

    /// Whether this is a key as Tessera issues them (16 symbols of its alphabet, check
    /// symbol right) rather than one of an earlier system's.
    pub fn is_native(&self) -> bool {
        ProductKey::parse(self.compact()).is_ok()
    }
}

impl fmt::Display for ProductKey {
    /// The grouped form people read: `U7A3-3D27-H9WC-F484`, groups of four for every key
    /// whose length four divides; any other key of an earlier system as one word.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.compact();
        if !s.len().is_multiple_of(4) {
            return f.write_str(s);
        }
        for (i, group) in s.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(group).expect("symbols are ASCII"))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ProductKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProductKey({self})")
    }
}

impl FromStr for ProductKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProductKey::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn key_from_seed(seed: u64) -> ProductKey {
        ProductKey::generate(&mut StdRng::seed_from_u64(seed))
    }

    #[test]
    fn accepts_lower_case_missing_dashes_and_spaces() {
        let key = key_from_seed(7);
        let grouped = key.to_string();
        assert_eq!(grouped.len(), 19);
        assert_eq!(ProductKey::parse(&grouped), Ok(key));
        assert_eq!(ProductKey::parse(&grouped.to_lowercase()), Ok(key));
        assert_eq!(ProductKey::parse(key.compact()), Ok(key));
        assert_eq!(ProductKey::parse(&format!("  {grouped}\n")), Ok(key));
        assert_eq!(ProductKey::parse(&grouped.replace('-', " ")), Ok(key));
    }

    #[test]
    fn refuses_wrong_length_and_foreign_symbols() {
        let key = key_from_seed(8).to_string();
        assert_eq!(ProductKey::parse(&key[..18]), Err(KeyError::Length(15)));
        assert_eq!(
            ProductKey::parse(&format!("{key}2")),
            Err(KeyError::Length(17))
        );
        assert_eq!(ProductKey::parse(""), Err(KeyError::Length(0)));
        let with_o = format!("O{}", &key[1..]);
        assert_eq!(ProductKey::parse(&with_o), Err(KeyError::Symbol('O')));
        assert_eq!(
            ProductKey::parse("ÄBCD-2345-6789-ABCD"),
            Err(KeyError::Symbol('Ä'))
        );
    }

    #[test]
    fn reads_keys_of_earlier_systems_the_same_way() {
        let old = ProductKey::any_format("U107-3D27-309C-F484").unwrap();
        assert_eq!(old.compact(), "U1073D27309CF484");
        assert_eq!(old.to_string(), "U107-3D27-309C-F484");
        assert_eq!(ProductKey::any_format(" u1073d27309cf484 "), Ok(old));
        assert_eq!(ProductKey::any_format("U107 3D27 309C F484"), Ok(old));
        assert!(!old.is_native());
        assert_eq!(
            ProductKey::parse("U107-3D27-309C-F484"),
            Err(KeyError::Symbol('1'))
        );
        let odd = ProductKey::any_format("abc12-xyz").unwrap();
        assert_eq!(odd.to_string(), "ABC1-2XYZ");
        let five = ProductKey::any_format("ABCDE").unwrap();
        assert_eq!(five.to_string(), "ABCDE");
        assert_eq!(
            ProductKey::any_format("ABC"),
            Err(KeyError::AnyFormatLength(3))
        );
        assert_eq!(
            ProductKey::any_format(&"A".repeat(41)),
            Err(KeyError::AnyFormatLength(41))
        );
        assert_eq!(
            ProductKey::any_format("ABCD_EFGH"),
            Err(KeyError::AnyFormatSymbol('_'))
        );
    }

    #[test]
    fn a_native_key_reads_the_same_in_any_format() {
        let key = key_from_seed(9);
        assert_eq!(ProductKey::any_format(&key.to_string()), Ok(key));
        assert!(key.is_native());
    }

    #[test]
    fn alphabet_has_no_look_alikes_and_no_repeats() {
        for bad in [b'0', b'1', b'I', b'L', b'O'] {
            assert!(!ALPHABET.contains(&bad), "{}", bad as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len());
    }

    proptest! {
        #[test]
        fn every_generated_key_parses_back(seed in any::<u64>()) {
            let key = key_from_seed(seed);
            prop_assert_eq!(ProductKey::parse(&key.to_string()), Ok(key));
            prop_assert_eq!(ProductKey::parse(key.compact()), Ok(key));
        }

        #[test]
        fn every_single_symbol_change_is_refused(seed in any::<u64>()) {
            let key = key_from_seed(seed);
            for pos in 0..KEY_LEN {
                for &replacement in ALPHABET.iter() {
                    if replacement == key.compact().as_bytes()[pos] { continue; }
                    let mut typo = key.compact().as_bytes().to_vec();
                    typo[pos] = replacement;
                    let typed = std::str::from_utf8(&typo).unwrap();
                    prop_assert_eq!(ProductKey::parse(typed), Err(KeyError::Checksum));
                }
            }
        }

        #[test]
        fn every_adjacent_swap_is_refused(seed in any::<u64>()) {
            let key = key_from_seed(seed);
            for pos in 0..KEY_LEN - 1 {
                let symbols = key.compact().as_bytes();
                if symbols[pos] == symbols[pos + 1] { continue; }
                let mut swapped = symbols.to_vec();
                swapped.swap(pos, pos + 1);
                let typed = std::str::from_utf8(&swapped).unwrap();
                prop_assert_eq!(ProductKey::parse(typed), Err(KeyError::Checksum));
            }
        }
    }
}
