//! Outgoing mail (I3): rendering from templates in the account's language, and delivery of
//! the outbox over SMTP (run by the `mail` job).

pub mod smtp;
pub mod templates;

use serde::Serialize;
use tessera_core::Language;
use tessera_store::Mail;

pub use templates::Templates;

impl Templates {
    /// A message of `kind` to `to`, ready for the outbox.
    pub fn compose(
        &self,
        kind: &'static str,
        language: Language,
        to: &str,
        context: impl Serialize,
    ) -> anyhow::Result<Mail> {
        let rendered = self.render(kind, language, context)?;
        Ok(Mail {
            kind,
            to: to.to_owned(),
            subject: rendered.subject,
            body: rendered.body,
        })
    }
}
