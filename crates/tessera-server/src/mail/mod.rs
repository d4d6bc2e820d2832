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
