//! A form of the sheet on a page of its own (the identification data, the technician): its
//! fields, the refusal that names none of them, and the way back to the sheet.

use askama::Template;
use tessera_api::Site;
use tessera_server::actors::PortalUser;
use tessera_server::error::ApiError;

use super::url;
use crate::form::{Field, mark};
use crate::view::{Chrome, Ctx};

/// A form of the sheet on its own page (the identification data, the technician).
#[derive(Template)]
#[template(path = "site_form.html")]
pub(crate) struct FormPage {
    pub(crate) chrome: Chrome,
    pub(crate) site_id: String,
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) intro: Option<String>,
    pub(crate) action: String,
    /// The section of the sheet the form belongs to (Cancel goes back there).
    pub(crate) section: &'static str,
    /// "Back to LABEL".
    pub(crate) back: String,
    /// A refusal that names no field.
    pub(crate) error: Option<String>,
    pub(crate) fields: Vec<Field>,
}

impl FormPage {
    pub(crate) fn new(ctx: &Ctx, me: &PortalUser, site: &Site, section: &'static str) -> Self {
        FormPage {
            chrome: Chrome::signed_in(ctx, me, "/sites"),
            site_id: site.site_id.clone(),
            label: site.label.clone(),
            title: String::new(),
            intro: None,
            action: format!("{}/{section}", url(&site.site_id)),
            section,
            back: ctx.tr.with("site-back-to", &[("label", &site.label)]),
            error: None,
            fields: Vec::new(),
        }
    }

    /// Shows `message` at the field `field` names, else above the fields.
    pub(crate) fn refused(&mut self, field: Option<&str>, message: String) {
        if !field.is_some_and(|f| mark(&mut self.fields, f, &message)) {
            self.error = Some(message);
        }
    }

    pub(crate) fn html(&self) -> Result<String, ApiError> {
        Ok(self.render().map_err(anyhow::Error::from)?)
    }
}
