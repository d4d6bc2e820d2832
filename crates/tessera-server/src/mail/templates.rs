//! The text of every mail Tessera sends, in each language (I3). Templates are minijinja
//! files compiled into the binary (`templates/<language>/<kind>.txt`): the first line is
//! `Subject: …`, then a blank line, then the body. A name a template uses but the caller did
//! not give is an error, never an empty gap in a customer's mail.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use tessera_core::Language;

/// The sources, per kind: English, German, Italian.
macro_rules! sources {
    ($($kind:literal),* $(,)?) => {
        &[$(
            ($kind, [
                include_str!(concat!("templates/en/", $kind, ".txt")),
                include_str!(concat!("templates/de/", $kind, ".txt")),
                include_str!(concat!("templates/it/", $kind, ".txt")),
            ]),
        )*]
    };
}

/// Every kind of mail, with its text in each of [`Language::ALL`].
pub const SOURCES: &[(&str, [&str; 3])] = sources![
    "account.registered",
    "password.reset",
    "service.activated",
    "service.deactivated",
    "services.invoice",
    "cloud.site_codes",
    "cloud.site_codes_again",
    "trial.started",
    "trial.ending",
    "subscription.paid",
    "subscription.reminder",
    "subscription.expired",
    "site_user.invitation",
];

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

pub struct Templates {
    env: Environment<'static>,
}

fn name(kind: &str, language: Language) -> String {
    format!("{}/{kind}.txt", language.code())
}

impl Templates {
    /// Compiles every template; fails on a syntax error or a template without its subject
    /// line (tests run this, so a broken template never ships).
    pub fn load() -> anyhow::Result<Templates> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (kind, texts) in SOURCES {
            for (language, text) in Language::ALL.into_iter().zip(texts) {
                anyhow::ensure!(
                    text.starts_with("Subject: "),
                    "the {language} template of {kind} does not start with its Subject line"
                );
                env.add_template_owned(name(kind, language), *text)?;
            }
        }
        Ok(Templates { env })
    }

    /// Renders mail `kind` in `language` with the names in `context`. The error names the
    /// template and what went wrong, never the values of the context (minijinja's debug
    /// info, which shows them, is left out).
    pub fn render(
        &self,
        kind: &str,
        language: Language,
        context: impl Serialize,
    ) -> anyhow::Result<Rendered> {
        let text = self
            .env
            .get_template(&name(kind, language))
            .and_then(|t| t.render(minijinja::value::Serde(context)))
            .map_err(|e| anyhow::anyhow!("the {language} template of {kind}: {e}"))?;
        let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
        let subject = first.strip_prefix("Subject: ").unwrap_or(first).trim();
        anyhow::ensure!(!subject.is_empty(), "{kind} rendered an empty subject");
        Ok(Rendered {
            subject: subject.to_owned(),
            body: body.trim_start_matches('\n').to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name any template uses, with a value that shows where it lands.
    fn sample() -> serde_json::Value {
        serde_json::json!({
            "username": "jack.white",
            "account_id": 4711,
            "product_key": "U107-3D27-309C-F484",
            "code": "c0de-c0de",
            "valid_minutes": 60,
            "service": "24/7 support",
            "site": "Station Milano",
            "date": "2026-11-23",
            "price": "49.00 EUR",
            "activation_code": "K7QH-M2XP-9TRV-4WZA",
            "site_code": "H3KD-8PQX",
            "invoice": "2026-000001",
            "total": "1098.00 EUR",
            "seats": 3,
            "days": 7,
            "months": 6,
            "month": "2026-11",
            "valid_days": 7,
            "to_user": false,
            "account": "ib50",
        })
    }

    #[test]
    fn every_mail_renders_in_every_language() {
        let templates = Templates::load().unwrap();
        for (kind, _) in SOURCES {
            let mut subjects = Vec::new();
            for language in Language::ALL {
                let mail = templates.render(kind, language, sample()).unwrap();
                assert!(!mail.body.trim().is_empty(), "{kind} {language}");
                assert!(!mail.subject.contains('\n'), "{kind} {language}");
                assert!(
                    mail.body.contains("jack.white") || mail.subject.contains("jack.white"),
                    "{kind} {language} names the user"
                );
                subjects.push(mail.subject);
            }
            subjects.dedup();
            assert_eq!(
                subjects.len(),
                3,
                "{kind}: each language has its own subject"
            );
        }
    }

    #[test]
    fn a_missing_name_is_an_error() {
        let templates = Templates::load().unwrap();
        let err = templates
            .render(
                "password.reset",
                Language::De,
                serde_json::json!({"username": "x"}),
            )
            .unwrap_err();
        assert!(format!("{err:#}").contains("undefined"), "{err:#}");
        assert!(
            templates
                .render("no.such.mail", Language::En, sample())
                .is_err()
        );
    }

    #[test]
    fn the_reset_code_is_in_the_body() {
        let templates = Templates::load().unwrap();
        let mail = templates
            .render("password.reset", Language::It, sample())
            .unwrap();
        assert_eq!(mail.subject, "Reimposta la password");
        assert!(
            mail.body.starts_with("Buongiorno jack.white,"),
            "{}",
            mail.body
        );
        assert!(mail.body.contains("    c0de-c0de\n"), "{}", mail.body);
        assert!(mail.body.contains("entro 60 minuti"), "{}", mail.body);
    }
}
