//! The pages' languages (English, German, Italian): Project Fluent catalogs in
//! `locales/{en,de,it}/main.ftl`, compiled into the binary, with the same keys in each (a
//! test compares them). The language is the one chosen (a cookie the sign-in page sets),
//! else the browser's `Accept-Language`, else English.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use tessera_core::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No bidi isolation marks around arguments: every language here runs left to right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "tessera_lang";

static IDS: LazyLock<[LanguageIdentifier; 3]> = LazyLock::new(|| {
    Language::ALL.map(|l| l.code().parse().expect("a language code is an identifier"))
});

fn id(lang: Language) -> &'static LanguageIdentifier {
    let index = Language::ALL
        .iter()
        .position(|l| *l == lang)
        .expect("every language is in ALL");
    &IDS[index]
}

/// Text in one language, for a page's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Language);

impl Tr {
    /// The language of a request: the chosen one, else the browser's first we have, else
    /// English.
    pub fn of(headers: &HeaderMap, cookies: &CookieJar) -> Tr {
        let chosen = cookies
            .get(LANG_COOKIE)
            .and_then(|c| Language::parse("lang", c.value()).ok());
        Tr(chosen.or_else(|| accepted(headers)).unwrap_or(Language::En))
    }

    /// The ISO code, for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(id(self.0), key)
    }

    /// The message `key` with the arguments `args` (`{ $name }` in the catalog).
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Owned((*k).to_owned()), (*v).into()))
            .collect();
        LOCALES.lookup_with_args(id(self.0), key, &args)
    }

    /// The message `key` with the number `n` (plural forms select on `$n`).
    pub fn count(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> =
            [(std::borrow::Cow::Borrowed("n"), (*n.borrow()).into())].into();
        LOCALES.lookup_with_args(id(self.0), key, &args)
    }

    /// The message `key` with the numbers `args` (plural forms select on them).
    pub fn numbers(&self, key: &str, args: &[(&str, i64)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Owned((*k).to_owned()), (*v).into()))
            .collect();
        LOCALES.lookup_with_args(id(self.0), key, &args)
    }

    /// Whether the catalog has `key` (error codes fall back to the server's English text).
    pub fn has(&self, key: &str) -> bool {
        LOCALES.try_lookup(id(self.0), key).is_some()
    }
}

/// The first language of `Accept-Language` that we write, by the order the browser gave
/// (q-values are ignored: browsers list languages in the order of preference).
fn accepted(headers: &HeaderMap) -> Option<Language> {
    let value = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()?;
    value
        .split(',')
        .filter_map(|part| part.split(';').next())
        .find_map(|tag| Language::parse("lang", tag).ok())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(lang: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{lang}/main.ftl", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn no_catalog_says_a_key_twice() {
        for lang in ["en", "de", "it"] {
            let path = format!("{}/locales/{lang}/main.ftl", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let mut seen = BTreeSet::new();
            for line in text.lines() {
                if line.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && let Some((key, _)) = line.split_once('=')
                {
                    assert!(seen.insert(key.trim()), "{lang}: {} twice", key.trim());
                }
            }
        }
    }

    #[test]
    fn every_catalog_has_the_same_keys() {
        let en = keys("en");
        assert!(en.len() > 20, "{en:?}");
        for lang in ["de", "it"] {
            let other = keys(lang);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, not in en {extra:?}"
            );
        }
    }

    #[test]
    fn every_key_a_template_or_page_uses_is_in_the_catalog() {
        let en = keys("en");
        let root = env!("CARGO_MANIFEST_DIR");
        let mut used = BTreeSet::new();
        let mut stack = vec![
            std::path::PathBuf::from(format!("{root}/templates")),
            std::path::PathBuf::from(format!("{root}/src")),
        ];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // A literal key, also on the line after the call's opening parenthesis; keys
            // made with format! are not literal and not checked here.
            for call in [".t(", ".with(", ".count("] {
                for piece in text.split(call).skip(1) {
                    let Some(rest) = piece.trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let key = rest.split('"').next().unwrap();
                    let shaped = !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    if shaped {
                        used.insert(key.to_owned());
                    }
                }
            }
        }
        assert!(used.len() > 10, "{used:?}");
        assert!(used.contains("site-service-price"), "calls over two lines");
        let missing: Vec<_> = used.difference(&en).collect();
        assert!(
            missing.is_empty(),
            "templates and pages use keys no catalog has: {missing:?}"
        );
    }

    #[test]
    fn the_language_is_the_chosen_one_else_the_browsers_else_english() {
        let mut headers = HeaderMap::new();
        let none = CookieJar::new();
        assert_eq!(Tr::of(&headers, &none), Tr(Language::En));
        headers.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "fr-FR, it;q=0.8, de;q=0.5".parse().unwrap(),
        );
        assert_eq!(Tr::of(&headers, &none), Tr(Language::It));
        let chosen = CookieJar::new().add((LANG_COOKIE, "de"));
        assert_eq!(Tr::of(&headers, &chosen), Tr(Language::De));
        assert_eq!(Tr(Language::De).t("sign-in"), "Anmelden");
        assert_eq!(Tr(Language::It).t("sign-in"), "Accedi");
    }
}
