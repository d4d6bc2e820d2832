//! The site's identification data changed by the account (seed 000's "change of
//! identification data"): the form, and its post to the use case the API's
//! `PUT /api/v1/account/sites/{site_id}/data` calls. That use case takes the proof of an
//! account-wide `sites.manage`, so a site user is refused whatever its groups hold.

use axum::Form;
use axum::extract::State;
use axum::response::{Html, Response};
use serde::Deserialize;
use tessera_api::SiteData;
use tessera_server::actors::{PortalUser, right};
use tessera_server::error::ApiError;
use tessera_server::extract::ApiPath;
use tessera_server::{AppState, accounts};

use super::FormPage;
use crate::error::FormRefusal;
use crate::form::{Field, Kind};
use crate::i18n::Tr;
use crate::view::Ctx;

/// The form as posted: every field as typed.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DataForm {
    company: String,
    branch: String,
    address: String,
    zip: String,
    locality: String,
    province: String,
    nation: String,
    representative_name: String,
    representative_surname: String,
    representative_email: String,
}

impl DataForm {
    fn of(d: &SiteData) -> DataForm {
        DataForm {
            company: d.company.clone(),
            branch: d.branch.clone().unwrap_or_default(),
            address: d.address.clone(),
            zip: d.zip.clone(),
            locality: d.locality.clone(),
            province: d.province.clone(),
            nation: d.nation.clone(),
            representative_name: d.representative_name.clone(),
            representative_surname: d.representative_surname.clone(),
            representative_email: d.representative_email.clone(),
        }
    }

    fn site_data(&self) -> SiteData {
        SiteData {
            company: self.company.clone(),
            branch: Some(self.branch.clone()).filter(|b| !b.trim().is_empty()),
            address: self.address.clone(),
            zip: self.zip.clone(),
            locality: self.locality.clone(),
            province: self.province.clone(),
            nation: self.nation.clone(),
            representative_name: self.representative_name.clone(),
            representative_surname: self.representative_surname.clone(),
            representative_email: self.representative_email.clone(),
        }
    }

    /// The form's fields, named as the use case names them in a refusal.
    fn fields(&self, tr: Tr) -> Vec<Field> {
        let f = |name, label, value: &String| {
            Field::new(tr, name, label, Kind::Text)
                .required()
                .auto("off")
                .with_value(value)
        };
        vec![
            f("company", "site-company", &self.company).auto("organization"),
            f("branch", "site-branch", &self.branch).optional(),
            f("address", "site-address", &self.address).auto("street-address"),
            f("zip", "site-zip", &self.zip).auto("postal-code"),
            f("locality", "site-locality", &self.locality).auto("address-level2"),
            f("province", "site-province", &self.province).auto("address-level1"),
            f("nation", "site-nation", &self.nation)
                .auto("country")
                .hint(tr, "site-nation-hint"),
            f(
                "representative_name",
                "site-representative-name",
                &self.representative_name,
            ),
            f(
                "representative_surname",
                "site-representative-surname",
                &self.representative_surname,
            ),
            Field::new(
                tr,
                "representative_email",
                "site-representative-email",
                Kind::Email,
            )
            .required()
            .auto("off")
            .with_value(&self.representative_email)
            .hint(tr, "site-representative-email-hint"),
        ]
    }
}

fn page(ctx: &Ctx, me: &PortalUser, site: &tessera_api::Site, form: &DataForm) -> FormPage {
    FormPage {
        title: ctx.tr.t("site-data-edit"),
        intro: Some(ctx.tr.t("site-data-edit-intro")),
        fields: form.fields(ctx.tr),
        ..FormPage::new(ctx, me, site, "data")
    }
}

/// `GET /sites/{site_id}/data/edit`: the form, filled with the data as it is.
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
) -> Result<Html<String>, ApiError> {
    me.holds_account_wide::<right::ManageSites>()?;
    let site = accounts::visible_site(&state, &me, &site_id).await?;
    let form = site.data.as_ref().map(DataForm::of).unwrap_or_default();
    Ok(Html(page(&ctx, &me, &site, &form).html()?))
}

/// `POST /sites/{site_id}/data`: changed, back to the sheet; refused, the form again as
/// typed with the reason at its field.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    me: PortalUser,
    ApiPath(site_id): ApiPath<String>,
    Form(form): Form<DataForm>,
) -> Result<Response, ApiError> {
    let who = me.holds_account_wide::<right::ManageSites>()?;
    let site = accounts::visible_site(&state, &me, &site_id).await?;
    let refused = match accounts::change_site_data(&state, &who, &site_id, &form.site_data()).await
    {
        Ok(_) => return Ok(super::done(&site_id, "data", "data")),
        Err(e) => e,
    };
    let Some(refusal) = FormRefusal::of(&ctx.tr, &refused) else {
        return Err(refused);
    };
    let mut page = page(&ctx, &me, &site, &form);
    page.refused(refusal.field.as_deref(), refusal.message.clone());
    Ok(refusal.respond(page.html()?))
}
