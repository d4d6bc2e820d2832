//! The site's technician and charging points (F4, seed 001: the technician to call when a
//! fault cannot be fixed remotely, the EVSE ID of each charging point): the form, and its
//! post to the use case the API's `PUT /api/v1/account/sites/{site_id}/technical` calls,
//! with the right `sites.technical.edit` (a site user may hold it for its own site).

use axum::Form;
use axum::extract::State;
use axum::response::{Html, Response};
use serde::Deserialize;
use tessera_api::{SiteTechnicalData, Technician};
use tessera_server::actors::{Holds, PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;
use tessera_server::sites::technical;
use tessera_server::{AppState, accounts};

use super::FormPage;
use crate::error::FormRefusal;
use crate::form::{Field, Kind};
use crate::i18n::Tr;
use crate::view::Ctx;

/// The form as posted: the technician's three fields (all empty: no technician) and the
/// charging points one per line.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TechnicalForm {
    technician_name: String,
    technician_phone: String,
    technician_email: String,
    evse_ids: String,
}

impl TechnicalForm {
    fn of(data: &SiteTechnicalData) -> TechnicalForm {
        let t = data.technician.as_ref();
        let field = |f: fn(&Technician) -> &String| t.map(f).cloned().unwrap_or_default();
        TechnicalForm {
            technician_name: field(|t| &t.name),
            technician_phone: field(|t| &t.phone),
            technician_email: field(|t| &t.email),
            evse_ids: data.evse_ids.join("\n"),
        }
    }

    /// The charging points as sent: the lines that are not blank.
    fn ids(&self) -> Vec<String> {
        self.evse_ids
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn data(&self) -> SiteTechnicalData {
        let named = [
            &self.technician_name,
            &self.technician_phone,
            &self.technician_email,
        ]
        .iter()
        .any(|f| !f.trim().is_empty());
        SiteTechnicalData {
            technician: named.then(|| Technician {
                name: self.technician_name.clone(),
                phone: self.technician_phone.clone(),
                email: self.technician_email.clone(),
            }),
            evse_ids: self.ids(),
        }
    }

    fn fields(&self, tr: Tr) -> Vec<Field> {
        let f = |name, label, kind, value: &String| {
            Field::new(tr, name, label, kind)
                .optional()
                .auto("off")
                .with_value(value)
        };
        vec![
            f(
                "technician_name",
                "site-technician-name",
                Kind::Text,
                &self.technician_name,
            ),
            f(
                "technician_phone",
                "site-technician-phone",
                Kind::Tel,
                &self.technician_phone,
            ),
            f(
                "technician_email",
                "site-technician-email",
                Kind::Email,
                &self.technician_email,
            ),
            f("evse_ids", "site-evse-ids", Kind::TextArea, &self.evse_ids)
                .hint(tr, "site-evse-ids-hint"),
        ]
    }
}

fn page(ctx: &Ctx, me: &PortalUser, site: &tessera_api::Site, form: &TechnicalForm) -> FormPage {
    FormPage {
        title: ctx.tr.t("site-technical-edit"),
        intro: Some(ctx.tr.t("site-technical-edit-intro")),
        fields: form.fields(ctx.tr),
        ..FormPage::new(ctx, me, site, "technical")
    }
}

/// `GET /sites/{site_id}/technical/edit`: the form, filled with the data as it is.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::EditTechnical, PortalUser>,
    ApiPath(site_id): ApiPath<String>,
) -> Result<Html<String>, ApiError> {
    let site = accounts::visible_site(&state, &me, &site_id).await?;
    let own = me.site_scope(&site_id)?;
    let data = technical::own_technical(&state, &own).await?;
    Ok(Html(
        page(&ctx, &me, &site, &TechnicalForm::of(&data)).html()?,
    ))
}

/// `POST /sites/{site_id}/technical`: saved, back to the sheet; refused, the form again as
/// typed with the reason at its field (a charging point's reason names it).
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    me: Holds<right::EditTechnical, PortalUser>,
    ApiPath(site_id): ApiPath<String>,
    Form(form): Form<TechnicalForm>,
) -> Result<Response, ApiError> {
    let site = accounts::visible_site(&state, &me, &site_id).await?;
    let refused = match technical::set_own_technical(&state, &me, &site_id, &form.data()).await {
        Ok(_) => return Ok(super::done(&site_id, "technical", "technical")),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let mut page = page(&ctx, &me, &site, &form);
    let (field, message) = at_form_field(ctx.tr, &form, &refusal);
    page.refused(field, message);
    Ok(refusal.respond(page.html()?))
}

/// Which of the form's fields a refusal is about, and what to say there: `technician.phone`
/// is `technician_phone`; `evse_ids[2]` is the third charging point sent, named in the text.
fn at_form_field<'a>(
    tr: Tr,
    form: &TechnicalForm,
    refusal: &'a FormRefusal,
) -> (Option<&'a str>, String) {
    let Some(field) = refusal.field.as_deref() else {
        return (None, refusal.message.clone());
    };
    if let Some(index) = field.strip_prefix("evse_ids[") {
        let id = index
            .trim_end_matches(']')
            .parse::<usize>()
            .ok()
            .and_then(|i| form.ids().into_iter().nth(i));
        let message = match id {
            Some(id) => tr.with(
                "site-evse-refused",
                &[("id", &id), ("message", &refusal.message)],
            ),
            None => refusal.message.clone(),
        };
        return (Some("evse_ids"), message);
    }
    let field = match field {
        "technician.name" => "technician_name",
        "technician.phone" => "technician_phone",
        "technician.email" => "technician_email",
        other => other,
    };
    (Some(field), refusal.message.clone())
}
