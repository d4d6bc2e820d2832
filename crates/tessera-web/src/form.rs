//! Forms on the pages: the body extractor, which refuses control characters at the edge as
//! the JSON API's does; the view of one field (label, value, hint, error, tied together for
//! assistive technology); and a use case's refusal shown on the form it came from, beside
//! the field its `field` names, instead of on an error page.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRequest, RawForm, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::de::DeserializeOwned;
use tessera_api::{ErrorBody, ErrorCode};
use tessera_server::control_chars;
use tessera_server::error::ApiError;
use tessera_server::extract::control_character;

use crate::i18n::Tr;

/// A form post (`application/x-www-form-urlencoded`) read as `T`; a control character in
/// any name or value is refused with its name, and every rejection is an [`ApiError`] (so
/// the reader gets the error page in their language, not axum's plain text).
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let RawForm(bytes) =
            RawForm::from_request(request, state)
                .await
                .map_err(|e| match e.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::BodyTooLarge.into(),
                    _ => ApiError::refused(ErrorCode::UnsupportedMediaType, e.body_text()),
                })?;
        let refused = form_urlencoded::parse(&bytes)
            .find(|(k, v)| control_chars::in_text(k) || control_chars::in_text(v));
        if let Some((name, _)) = refused {
            return Err(control_character(&name));
        }
        // The checked bytes, read as `T` the way axum reads a form.
        let again = Request::builder()
            .method(Method::POST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(bytes))
            .map_err(anyhow::Error::from)?;
        let axum::Form(value) = axum::Form::<T>::from_request(again, state)
            .await
            .map_err(|e| ApiError::refused(ErrorCode::InvalidField, e.body_text()))?;
        Ok(PageForm(value))
    }
}

/// A form in a card of its own, as `partials/form_card.html` shows it (set it as `form`).
pub struct FormCard {
    /// The card's id (its title's is `{id}-title`).
    pub id: String,
    pub title: String,
    /// A line under the title, when the form needs one.
    pub help: Option<String>,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
    /// A refusal no field holds.
    pub error: Option<String>,
    /// A wide card with its fields in a grid (a long form).
    pub wide: bool,
}

/// What was typed into a form, by field name (the API's field paths: `company.name`).
pub type Values = HashMap<String, String>;

/// What was typed into `name`, as typed; empty when absent.
pub fn value(values: &Values, name: &str) -> String {
    values.get(name).cloned().unwrap_or_default()
}

/// Whether the checkbox `name` was ticked (a browser sends a ticked box only).
pub fn ticked(values: &Values, name: &str) -> bool {
    values.get(name).is_some_and(|v| !v.is_empty())
}

/// How a field is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Email,
    Tel,
    Number,
    /// Never shown again once typed.
    Password,
    Select,
    Checkbox,
    /// Several lines (a list typed one a line).
    TextArea,
}

/// One choice of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One field as the page shows it.
#[derive(Debug, Clone)]
pub struct Field {
    /// The form name: the API's field path, so a refusal's `field` finds it.
    pub name: &'static str,
    /// The element id (the name with `-` for `.`).
    pub id: String,
    pub label: String,
    kind: Kind,
    pub value: String,
    pub required: bool,
    /// Not required, and the label says so ("optional"): for forms whose fields are mostly
    /// required, where marking the few others reads better than starring the many.
    pub marked_optional: bool,
    /// The `autocomplete` token, or "" for none.
    pub autocomplete: &'static str,
    /// Typed as a code (a product key, a mailed code): no spell check, no capitals.
    pub code: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub choices: Vec<Choice>,
}

impl Field {
    /// A field `name` labelled with the catalog's `label`.
    pub fn new(tr: Tr, name: &'static str, label: &str, kind: Kind) -> Field {
        Field {
            name,
            id: name.replace('.', "-"),
            label: tr.t(label),
            kind,
            value: String::new(),
            required: false,
            marked_optional: false,
            autocomplete: "",
            code: false,
            hint: None,
            error: None,
            choices: Vec::new(),
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Not required, and labelled "optional".
    pub fn optional(mut self) -> Field {
        self.required = false;
        self.marked_optional = true;
        self
    }

    /// The value shown, for a form filled from what is stored rather than from a post (a
    /// select's choice of that value is the one selected).
    pub fn with_value(mut self, value: impl Into<String>) -> Field {
        self.value = value.into();
        self.mark_selected();
        self
    }

    fn mark_selected(&mut self) {
        for choice in &mut self.choices {
            choice.selected = choice.value == self.value;
        }
    }

    pub fn auto(mut self, token: &'static str) -> Field {
        self.autocomplete = token;
        self
    }

    pub fn code(mut self) -> Field {
        self.code = true;
        self
    }

    /// A hint under the label: the catalog's `key`.
    pub fn hint(mut self, tr: Tr, key: &str) -> Field {
        self.hint = Some(tr.t(key));
        self
    }

    /// A hint already written.
    pub fn hint_text(mut self, text: String) -> Field {
        self.hint = Some(text);
        self
    }

    /// The choices of a select, as (value, label).
    pub fn choices(mut self, choices: Vec<(String, String)>) -> Field {
        self.choices = choices
            .into_iter()
            .map(|(value, label)| Choice {
                value,
                label,
                selected: false,
            })
            .collect();
        self.mark_selected();
        self
    }

    /// The value shown: what was typed (never a password), and the refusal's message when
    /// it is about this field.
    pub fn fill(mut self, values: &Values, refusal: Option<&Refusal>) -> Field {
        if self.kind != Kind::Password {
            self.value = value(values, self.name);
        }
        self.mark_selected();
        self.error = refusal
            .filter(|r| r.field.as_deref() == Some(self.name))
            .map(|r| r.message.clone());
        self
    }

    /// The `type` of an `<input>`.
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Email => "email",
            Kind::Tel => "tel",
            Kind::Number => "number",
            Kind::Password => "password",
            Kind::Checkbox => "checkbox",
            Kind::Text | Kind::Select | Kind::TextArea => "text",
        }
    }

    pub fn is_select(&self) -> bool {
        self.kind == Kind::Select
    }

    pub fn is_checkbox(&self) -> bool {
        self.kind == Kind::Checkbox
    }

    pub fn is_textarea(&self) -> bool {
        self.kind == Kind::TextArea
    }

    pub fn is_number(&self) -> bool {
        self.kind == Kind::Number
    }

    /// Whether one of a select's choices is chosen (else it offers an empty "Choose…").
    pub fn has_selection(&self) -> bool {
        self.choices.iter().any(|c| c.selected)
    }

    pub fn checked(&self) -> bool {
        !self.value.is_empty()
    }

    /// The ids `aria-describedby` names: the hint's and the error's, when there are any.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}

/// Puts `message` at the field `name` among `fields`; false when none has that name (the
/// form then shows it above the fields).
pub fn mark(fields: &mut [Field], name: &str, message: &str) -> bool {
    match fields.iter_mut().find(|f| f.name == name) {
        Some(field) => {
            field.error = Some(message.to_owned());
            true
        }
        None => false,
    }
}

/// A group of fields under a heading (a `<fieldset>`).
#[derive(Debug, Clone)]
pub struct Section {
    pub legend: String,
    /// A few words under the heading, when the group needs them.
    pub intro: Option<String>,
    pub fields: Vec<Field>,
}

impl Section {
    pub fn new(tr: Tr, legend: &str, fields: Vec<Field>) -> Section {
        Section {
            legend: tr.t(legend),
            intro: None,
            fields,
        }
    }

    pub fn intro(mut self, text: String) -> Section {
        self.intro = Some(text);
        self
    }
}

/// A use case's refusal of a form, to be shown on it: the reader's text, the field it is
/// about, and what the answer carries (status, code, the wait of a throttle).
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub field: Option<String>,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl Refusal {
    /// `e` as a refusal the form shows; what a form cannot answer (not signed in, a right
    /// missing, an internal error) stays an error, for the error page.
    pub fn of(tr: Tr, e: ApiError) -> Result<Refusal, ApiError> {
        let (status, code) = (e.status(), e.code());
        match e {
            ApiError::Refused { field, message, .. } => {
                let body = ErrorBody::new(code, message);
                Ok(Refusal {
                    status,
                    code,
                    field,
                    message: crate::error::message(&tr, &body),
                    retry_after: None,
                })
            }
            ApiError::Throttled { retry_after_secs } => Ok(Refusal {
                status,
                code,
                field: None,
                message: tr.with("form-throttled", &[("secs", &retry_after_secs.to_string())]),
                retry_after: Some(retry_after_secs),
            }),
            other => Err(other),
        }
    }

    /// The form page shown again with this refusal: its status, its code for the operations
    /// log, and `Retry-After` when throttled.
    pub fn respond(&self, html: Html<String>) -> Response {
        let mut response = (self.status, html).into_response();
        response.extensions_mut().insert(self.code);
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// The summary at the top of a refused form: what went wrong, and a link to the field
/// when the form shows it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub message: String,
    pub link: Option<FieldLink>,
}

/// A link to a field of the form: its id and label.
#[derive(Debug, Clone)]
pub struct FieldLink {
    pub id: String,
    pub label: String,
}

impl Summary {
    /// The summary of `refusal` over the form's `fields`.
    pub fn of<'a>(
        refusal: Option<&Refusal>,
        fields: impl IntoIterator<Item = &'a Field>,
    ) -> Option<Summary> {
        let refusal = refusal?;
        let link = fields
            .into_iter()
            .find(|f| refusal.field.as_deref() == Some(f.name))
            .map(|f| FieldLink {
                id: f.id.clone(),
                label: f.label.clone(),
            });
        Some(Summary {
            message: refusal.message.clone(),
            link,
        })
    }
}

#[cfg(test)]
mod tests {
    use tessera_core::Language;

    use super::*;

    #[test]
    fn a_field_shows_what_was_typed_but_never_a_password() {
        let tr = Tr(Language::En);
        let values: Values = [
            ("username".to_owned(), "jack".to_owned()),
            ("password".to_owned(), "secret secret".to_owned()),
        ]
        .into();
        let short = ApiError::invalid(ErrorCode::PasswordTooShort, "password", "too short");
        let refusal = Refusal::of(tr, short).unwrap();
        let user = Field::new(tr, "username", "register-username", Kind::Text)
            .fill(&values, Some(&refusal));
        assert_eq!(user.value, "jack");
        assert_eq!(user.error, None);
        assert_eq!(user.described_by(), "");
        let pass = Field::new(tr, "password", "password", Kind::Password)
            .hint(tr, "register-password-hint")
            .fill(&values, Some(&refusal));
        assert_eq!(pass.value, "");
        assert!(pass.error.is_some());
        assert_eq!(pass.described_by(), "password-hint password-error");
        let nested = Field::new(tr, "company.vat_number", "register-vat", Kind::Text);
        assert_eq!(nested.id, "company-vat_number");
    }
}
