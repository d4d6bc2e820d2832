//! Product keys (A2): 16 symbols shown as `XXXX-XXXX-XXXX-XXXX`.
//!
//! * Alphabet: 31 symbols, the digits 2–9 and the letters without I, L and O, so no two symbols
//!   look alike (0/O, 1/I/L are simply absent).
//! * The first 15 symbols are random (from the OS CSPRNG): 15 · log2(31) ≈ 74.3 bits.
//! * The 16th is a check symbol: the weighted sum Σ (i+1)·vᵢ over all 16 symbols is 0 mod 31.
//!   31 is prime and every weight is in 1..=16, so a change of one symbol changes the sum by
//!   w·d ≢ 0 (mod 31) and swapping neighbours i, i+1 changes it by vᵢ − vᵢ₊₁ ≢ 0: every
//!   single-symbol typo and every adjacent swap is refused before any database lookup.

use std::fmt;
use std::str::FromStr;

use rand::{CryptoRng, Rng};

/// The symbols a key is written with, in value order.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Symbols in a key, check symbol included.
pub const KEY_LEN: usize = 16;
const MODULUS: u32 = ALPHABET.len() as u32;

/// A well-formed product key whose check symbol is right. Holds the 16 symbols upper case,
/// without dashes; it does not say whether the key was ever issued.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductKey([u8; KEY_LEN]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a product key has 16 symbols (4 groups of 4), this one has {0}")]
    Length(usize),
    #[error("'{0}' is not a product key symbol (2–9 and A–Z without I, L, O)")]
    Symbol(char),
    #[error("the product key is mistyped: its check symbol does not match")]
    Checksum,
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

impl ProductKey {
    /// Parses what a person typed: any case, dashes or spaces between groups, surrounding
    /// white space. Refuses a wrong length, a foreign symbol or a wrong check symbol.
    pub fn parse(input: &str) -> Result<Self, KeyError> {
        let mut symbols = [0u8; KEY_LEN];
        let mut n = 0;
        for ch in input.trim().chars() {
            if ch == '-' || ch == ' ' {
                continue;
            }
            let upper = ch.to_ascii_uppercase();
            if !upper.is_ascii() || value_of(upper as u8).is_none() {
                return Err(KeyError::Symbol(ch));
            }
            if n < KEY_LEN {
                symbols[n] = upper as u8;
            }
            n += 1;
        }
        if n != KEY_LEN {
            return Err(KeyError::Length(n));
        }
        if weighted_sum(&symbols) != 0 {
            return Err(KeyError::Checksum);
        }
        Ok(ProductKey(symbols))
    }

    /// A fresh random key. Pass the OS CSPRNG (`rand::rngs::OsRng`) outside tests.
    pub fn generate<R: Rng + CryptoRng>(rng: &mut R) -> Self {
        let mut symbols = [0u8; KEY_LEN];
        for s in symbols.iter_mut().take(KEY_LEN - 1) {
            *s = ALPHABET[rng.gen_range(0..ALPHABET.len())];
        }
        symbols[KEY_LEN - 1] = check_symbol(&symbols[..KEY_LEN - 1]);
        ProductKey(symbols)
    }

    /// The 16 symbols without dashes: the form stored in the database.
    pub fn compact(&self) -> &str {
        std::str::from_utf8(&self.0).expect("symbols are ASCII")
    }
}

impl fmt::Display for ProductKey {
    /// The grouped form people read: `U7A3-3D27-H9WC-F484`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.compact();
        write!(f, "{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
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
                    if replacement == key.0[pos] { continue; }
                    let mut typo = key.0;
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
                if key.0[pos] == key.0[pos + 1] { continue; }
                let mut swapped = key.0;
                swapped.swap(pos, pos + 1);
                let typed = std::str::from_utf8(&swapped).unwrap();
                prop_assert_eq!(ProductKey::parse(typed), Err(KeyError::Checksum));
            }
        }
    }
}
