//! The cloud code exchange (E5): the site's emailed activation and site codes become its
//! cloud token, kept in the state file, after the data check (E7).

use serde::Serialize;
use tessera_api::{CloudActivation, CloudStanding, CloudToken, CollectionDecl, CollectionList};

use super::PreCheck;
use crate::client::{Client, lock};
use crate::errors::{ClientError, Result};
use crate::state_file::StoredState;

/// An accepted code exchange.
#[derive(Debug, Clone, Serialize)]
pub struct CloudActivated {
    pub site_id: String,
    /// The cloud subscription's state (`trial`, `active`, …).
    pub state: String,
    pub expires_at: String,
    pub server: String,
    /// The product's collections, as the cloud declares them (empty when they could not be
    /// fetched now: the next sync fetches them).
    pub collections: Vec<CollectionDecl>,
}

impl Client {
    /// Connects this site to the cloud: runs the data check `pre` (any finding blocks,
    /// [`ClientError::DataCheckFailed`] naming each offending record, unless
    /// [`PreCheck::Skip`]), then exchanges the codes the account's representative received
    /// by mail for the site's cloud token (`POST /api/v1/cloud/activate`) and keeps it in the
    /// state file, so they are not asked again. Needs an activated license; the codes must
    /// be this site's (`SITE_MISMATCH` otherwise, and nothing is kept). The program's
    /// version (`ClientConfig::product_version`) goes with the codes: the server refuses a
    /// program below the product's minimum version for the cloud, or one that does not say
    /// its version when the product sets one (a refusal whose `reason()` is
    /// `UPDATE_REQUIRED`; `status().cloud_update_required` foresees it).
    pub fn activate_cloud(
        &self,
        activation_code: &str,
        site_code: &str,
        pre: PreCheck<'_>,
    ) -> Result<CloudActivated> {
        let site_id = self.site_id().ok_or(ClientError::NotActivated)?;
        self.pre_check(pre)?;
        let req = CloudActivation {
            site_code: site_code.trim().to_owned(),
            activation_code: activation_code.trim().to_owned(),
            product_version: self.product_version(),
        };
        let preferred = lock(&self.preferred).clone();
        let (server, token) = self.each_server(preferred.as_deref(), |server| {
            self.transport
                .post::<_, CloudToken>(server, "/api/v1/cloud/activate", &req, None)
        })?;
        if token.site_id != site_id {
            return Err(ClientError::SiteMismatch {
                want: site_id,
                got: token.site_id,
            });
        }
        {
            let mut stored = lock(&self.stored);
            let current = stored.as_ref().ok_or(ClientError::NotActivated)?;
            let new = StoredState {
                cloud_token: Some(token.cloud_token.clone()),
                ..current.clone()
            };
            self.save(&mut stored, &new)?;
            *stored = Some(new);
        }
        let collections = self.fetch_collections().unwrap_or_default();
        Ok(CloudActivated {
            site_id: token.site_id,
            state: token.state,
            expires_at: token.expires_at,
            server,
            collections,
        })
    }

    /// Whether this site holds a cloud token (its codes were exchanged).
    pub fn cloud_activated(&self) -> bool {
        lock(&self.stored)
            .as_ref()
            .is_some_and(|s| s.cloud_token.is_some())
    }

    /// Where the site's cloud access stands (`GET /api/v1/cloud/status`): the subscription's
    /// state, or the server's refusal with its code (`SUBSCRIPTION_EXPIRED`, …).
    pub fn cloud_standing(&self) -> Result<CloudStanding> {
        let token = self.cloud_token()?;
        let preferred = lock(&self.preferred).clone();
        let (_, standing) = self.each_server(preferred.as_deref(), |server| {
            self.transport.get_limited(
                server,
                "/api/v1/cloud/status",
                Some(&token),
                crate::transport::MAX_SYNC_BODY,
            )
        })?;
        Ok(standing)
    }

    pub(crate) fn cloud_token(&self) -> Result<String> {
        let stored = lock(&self.stored);
        let s = stored.as_ref().ok_or(ClientError::NotActivated)?;
        s.cloud_token.clone().ok_or(ClientError::CloudNotActivated)
    }

    /// The product's collections from the cloud, remembered for later data checks.
    pub(crate) fn fetch_collections(&self) -> Result<Vec<CollectionDecl>> {
        let token = self.cloud_token()?;
        let preferred = lock(&self.preferred).clone();
        let (_, list) = self.each_server(preferred.as_deref(), |server| {
            self.transport.get_limited::<CollectionList>(
                server,
                "/api/v1/cloud/sync/collections",
                Some(&token),
                crate::transport::MAX_SYNC_BODY,
            )
        })?;
        self.with_local(|local| {
            let mut memory = local.memory.clone();
            memory.collections = list.collections.clone();
            local.save(memory)
        })?;
        Ok(list.collections)
    }

    /// The collections to check against: the vendor's, else the ones last fetched.
    pub(crate) fn known_collections(&self) -> Result<Vec<CollectionDecl>> {
        if !self.cfg.sync.collections.is_empty() {
            return Ok(self.cfg.sync.collections.clone());
        }
        self.with_local(|local| Ok(local.memory.collections.clone()))
    }
}
