//! Which secrets may have signed a delivery: the one the user entered for the provider
//! (for HubSpot also the app client secret saved for sign-in), and the secret stored with
//! each connection of the accounts the body names (sandbox connections are subscribed
//! with their own). Values stay inside `Secret` and are never logged.

use super::settings::{provider_secret_name, CONNECTION_SECRET, SCOPE};
use crate::{Engine, EngineResult};
use switchyard_store::kinds::ProviderId;
use switchyard_store::tables::{connections, secrets};
use switchyard_store::Secret;

/// Connections of `provider` whose account is one of `accounts`, by account.
pub(crate) async fn connections_for(
    engine: &Engine,
    provider: ProviderId,
    accounts: &[String],
) -> EngineResult<Vec<(String, String)>> {
    Ok(connections::list(engine.store().pool())
        .await?
        .into_iter()
        .filter(|c| {
            c.provider == provider
                && c.status != switchyard_store::kinds::ConnectionStatus::Disconnected
        })
        .filter_map(|c| {
            let account = c.account_id?;
            accounts.contains(&account).then_some((account, c.id))
        })
        .collect())
}

pub(crate) async fn candidates(
    engine: &Engine,
    provider: ProviderId,
    accounts: &[String],
) -> EngineResult<Vec<Secret<String>>> {
    let pool = engine.store().pool();
    let vault = engine.store().vault();
    let mut out = Vec::new();
    if let Some(name) = provider_secret_name(provider) {
        out.extend(secrets::get(pool, vault, SCOPE, name).await?);
    }
    if provider == ProviderId::Hubspot {
        let app = crate::api::apps::secret_scope(provider);
        out.extend(secrets::get(pool, vault, &app, "client_secret").await?);
    }
    for (_, connection) in connections_for(engine, provider, accounts).await? {
        out.extend(secrets::get(pool, vault, &connection, CONNECTION_SECRET).await?);
    }
    Ok(out)
}
