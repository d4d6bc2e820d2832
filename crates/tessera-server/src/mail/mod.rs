//! Outgoing mail (I3): rendering from templates in the account's language, and delivery of
//! the outbox over SMTP (run by the `mail` job). The outbox holds each message's template
//! key, language and context; the text is rendered here when the message is sent, and when
//! operators list the outbox.

pub mod smtp;
pub mod templates;

use tessera_store::OutboxRecord;

pub use templates::{Rendered, Templates};

impl Templates {
    /// The subject and body `mail` is sent with: rendered from its template and context, or
    /// as stored for mail queued with its text (before the outbox kept contexts). The error
    /// says which template failed and why, never the context's values (a reset code).
    pub fn message(&self, mail: &OutboxRecord) -> anyhow::Result<Rendered> {
        let Some(template) = &mail.template else {
            return Ok(Rendered {
                subject: mail.subject.clone(),
                body: mail.body.clone(),
            });
        };
        let context: serde_json::Value = serde_json::from_str(&template.context)
            .map_err(|e| anyhow::anyhow!("the context of {} is not JSON: {e}", mail.kind))?;
        self.render(&mail.kind, template.language, context)
    }

    /// `mail` with its subject and body as it is sent (for listings).
    pub fn fill(&self, mut mail: OutboxRecord) -> anyhow::Result<OutboxRecord> {
        let Rendered { subject, body } = self.message(&mail)?;
        mail.subject = subject;
        mail.body = body;
        Ok(mail)
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use tessera_core::Language;
    use tessera_store::Template;

    use super::*;

    fn queued(template: Option<Template>) -> OutboxRecord {
        OutboxRecord {
            id: 1,
            kind: "password.reset".into(),
            to: "jack@example.com".into(),
            subject: "Stored subject".into(),
            body: "Stored body".into(),
            template,
            created_at: Timestamp::UNIX_EPOCH,
            sent_at: None,
            attempts: 0,
            next_attempt_at: Timestamp::UNIX_EPOCH,
            last_error: None,
            failed_at: None,
        }
    }

    fn template(context: &str) -> Option<Template> {
        Some(Template {
            language: Language::De,
            context: context.into(),
        })
    }

    #[test]
    fn stored_text_is_sent_as_it_is_and_a_context_is_rendered() {
        let templates = Templates::load().unwrap();
        let old = templates.message(&queued(None)).unwrap();
        assert_eq!(
            (old.subject.as_str(), old.body.as_str()),
            ("Stored subject", "Stored body")
        );
        let context = r#"{"username": "jack.white", "code": "c0de-c0de", "valid_minutes": 60}"#;
        let rendered = templates.message(&queued(template(context))).unwrap();
        let direct = templates
            .render(
                "password.reset",
                Language::De,
                serde_json::from_str::<serde_json::Value>(context).unwrap(),
            )
            .unwrap();
        assert_eq!(rendered, direct);
        assert!(
            rendered.body.contains("    c0de-c0de\n"),
            "{}",
            rendered.body
        );
    }

    #[test]
    fn a_context_that_cannot_be_rendered_is_an_error_without_its_values() {
        let templates = Templates::load().unwrap();
        for context in [r#"{"code": "s3cret-c0de"}"#, r#"{"code": "s3cret-c0de""#] {
            let err = templates.message(&queued(template(context))).unwrap_err();
            let shown = format!("{err:#} {err:?}");
            assert!(shown.contains("password.reset"), "{shown}");
            assert!(!shown.contains("s3cret"), "{shown}");
        }
    }
}
