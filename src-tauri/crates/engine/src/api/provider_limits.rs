//! Provider limits the reference leaves unconfirmed, set per installation. HubSpot's
//! search endpoints allow 5 requests per second per account, or 4 per token by an older
//! changelog; the engine paces searches at the configured rate (4 unless changed), so a
//! user whose account allows more can say so.

use crate::{Engine, EngineError, EngineResult};
use switchyard_store::tables::settings;

const KEY: &str = "providers.limits";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProviderLimits {
    /// HubSpot CRM searches sent per second at most (1–100).
    pub hubspot_search_per_second: u32,
}

impl Default for ProviderLimits {
    fn default() -> Self {
        Self {
            hubspot_search_per_second: switchyard_connectors::hubspot::SEARCH_PER_SECOND,
        }
    }
}

impl Engine {
    pub async fn provider_limits(&self) -> EngineResult<ProviderLimits> {
        Ok(settings::get(self.store().pool(), KEY)
            .await?
            .unwrap_or_default())
    }

    pub async fn set_provider_limits(&self, new: ProviderLimits) -> EngineResult<ProviderLimits> {
        if !(1..=100).contains(&new.hubspot_search_per_second) {
            return Err(EngineError::validation(format!(
                "HubSpot searches per second must be between 1 and 100 (got {})",
                new.hubspot_search_per_second
            )));
        }
        settings::set(self.store().pool(), KEY, &new).await?;
        Ok(new)
    }
}
