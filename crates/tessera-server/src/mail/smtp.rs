//! Delivery over SMTP (lettre): STARTTLS or TLS when configured, a timeout on every
//! conversation, and the mail server's answer sorted into "sent", "try again later" and
//! "refused for good".

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tessera_store::OutboxRecord;

use crate::config::{SmtpConfig, SmtpSecurity};
use crate::mail::Rendered;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Sent,
    /// The server was unreachable or answered 4xx: try again later.
    Transient(String),
    /// The server answered 5xx, or the message cannot be built (a malformed address).
    Permanent(String),
}

pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The right side of Message-IDs.
    domain: String,
}

impl SmtpSender {
    /// None when no mail server is configured.
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Option<SmtpSender>> {
        let Some(host) = config.host.as_deref().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        let from: Mailbox = config.from.parse().map_err(|e| {
            anyhow::anyhow!("smtp.from {:?} is not a mail address: {e}", config.from)
        })?;
        let tls = match config.security {
            SmtpSecurity::None => Tls::None,
            SmtpSecurity::Starttls => Tls::Required(TlsParameters::new(host.to_owned())?),
            SmtpSecurity::Tls => Tls::Wrapper(TlsParameters::new(host.to_owned())?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(config.port())
            .tls(tls)
            .timeout(Some(Duration::from_secs(config.timeout_secs.max(1))));
        if let Some(user) = &config.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                config.password.clone().unwrap_or_default(),
            ));
        }
        let domain = from.email.domain().to_owned();
        Ok(Some(SmtpSender {
            transport: builder.build(),
            from,
            domain,
        }))
    }

    /// Sends one queued message with its rendered `text`. Its Message-ID is derived from the
    /// outbox row, so a message sent twice (a crash between the server's "OK" and recording
    /// it) carries the same id both times and mail clients show it once.
    pub async fn send(&self, mail: &OutboxRecord, text: &Rendered) -> Attempt {
        let to: Mailbox = match mail.to.parse() {
            Ok(to) => to,
            Err(e) => return Attempt::Permanent(format!("bad recipient address: {e}")),
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(text.subject.clone())
            .message_id(Some(format!(
                "<tessera.{}.{}@{}>",
                mail.id,
                mail.created_at.as_microsecond(),
                self.domain
            )))
            .header(ContentType::TEXT_PLAIN)
            .body(text.body.clone());
        let message = match message {
            Ok(m) => m,
            Err(e) => return Attempt::Permanent(format!("the message cannot be built: {e}")),
        };
        match self.transport.send(message).await {
            Ok(_) => Attempt::Sent,
            Err(e) if e.is_permanent() => Attempt::Permanent(e.to_string()),
            Err(e) => Attempt::Transient(e.to_string()),
        }
    }
}
