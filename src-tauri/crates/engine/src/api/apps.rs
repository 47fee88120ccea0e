//! "Bring your own app": the OAuth client each provider knows Switchyard by. For real
//! accounts the user registers an app with the provider and enters its client id (and
//! secret, kept in the vault) in Settings, together with the exact redirect URI to
//! register. Sandbox accounts use the simulator's own client automatically.

use crate::sandbox::control;
use crate::{Engine, EngineError, EngineResult};
use switchyard_connectors::auth::{oauth_endpoints, production_api_base, OAuthEndpoints, Target};
use switchyard_store::kinds::{Environment, ProviderId};
use switchyard_store::tables::{secrets, settings};
use switchyard_store::Secret;

/// The loopback redirect Switchyard listens on for real accounts: a fixed port, so the
/// exact URI can be registered with the provider.
pub const REDIRECT_PORT: u16 = 53682;
pub const REDIRECT_PATH: &str = "/callback";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppCredentials {
    pub provider: ProviderId,
    pub client_id: Option<String>,
    pub has_secret: bool,
    /// What to register with the provider as the redirect URI.
    pub redirect_uri: String,
    /// An https redirect registered instead, for providers that refuse loopback
    /// (QuickBooks production keys): the user pastes the address the browser lands on.
    pub paste_redirect_uri: Option<String>,
}

/// The client a sign-in uses, and where its OAuth server is.
#[derive(Debug, Clone)]
pub(crate) struct OAuthApp {
    pub endpoints: OAuthEndpoints,
    pub client_id: String,
    pub client_secret: Option<Secret<String>>,
    /// API base for the new connection (sandbox listener or the provider's API host).
    pub api_base: String,
    pub loopback_port: u16,
    /// Set when the app may not use loopback: the https redirect the user pastes back from.
    pub paste_redirect_uri: Option<String>,
}

fn client_id_key(provider: ProviderId) -> String {
    format!("apps.{provider}.client_id")
}

pub(crate) fn paste_redirect_key(provider: ProviderId) -> String {
    format!("apps.{provider}.paste_redirect_uri")
}

pub(crate) fn secret_scope(provider: ProviderId) -> String {
    format!("app:{provider}")
}

pub fn redirect_uri() -> String {
    format!("http://127.0.0.1:{REDIRECT_PORT}{REDIRECT_PATH}")
}

impl Engine {
    pub async fn app_credentials(&self, provider: ProviderId) -> EngineResult<AppCredentials> {
        let pool = self.store().pool();
        Ok(AppCredentials {
            provider,
            client_id: settings::get(pool, &client_id_key(provider)).await?,
            has_secret: secrets::names(pool, &secret_scope(provider))
                .await?
                .iter()
                .any(|n| n == "client_secret"),
            redirect_uri: redirect_uri(),
            paste_redirect_uri: settings::get(pool, &paste_redirect_key(provider)).await?,
        })
    }

    /// Saves the app's client id, and its secret when given (an empty secret removes it).
    pub async fn set_app_credentials(
        &self,
        provider: ProviderId,
        client_id: String,
        client_secret: Option<String>,
        paste_redirect_uri: Option<String>,
    ) -> EngineResult<AppCredentials> {
        let client_id = client_id.trim().to_owned();
        if client_id.is_empty()
            || client_id.len() > 256
            || client_id.chars().any(char::is_whitespace)
        {
            return Err(EngineError::validation(
                "the client id must be one word of up to 256 characters",
            ));
        }
        let pool = self.store().pool();
        settings::set(pool, &client_id_key(provider), &client_id).await?;
        match client_secret.map(|s| s.trim().to_owned()) {
            Some(s) if s.is_empty() => {
                secrets::delete(pool, &secret_scope(provider), "client_secret").await?;
            }
            Some(s) => {
                secrets::put(
                    pool,
                    self.store().vault(),
                    &secret_scope(provider),
                    "client_secret",
                    None,
                    &Secret::new(s),
                )
                .await?
            }
            None => {}
        }
        match paste_redirect_uri.map(|s| s.trim().to_owned()) {
            Some(uri) if uri.is_empty() => {
                settings::delete(pool, &paste_redirect_key(provider)).await?;
            }
            Some(uri) if uri.starts_with("https://") && reqwest::Url::parse(&uri).is_ok() => {
                settings::set(pool, &paste_redirect_key(provider), &uri).await?
            }
            Some(_) => return Err(EngineError::validation(
                "the redirect for pasting must be an https:// address registered with the provider",
            )),
            None => {}
        }
        self.app_credentials(provider).await
    }

    pub(crate) async fn oauth_app(
        &self,
        provider: ProviderId,
        environment: Environment,
    ) -> EngineResult<OAuthApp> {
        let name = switchyard_connectors::provider(provider).name;
        match environment {
            Environment::Sandbox => {
                let base = self.sandbox_base_url(provider).await?;
                let creds = control(&base, "credentials", false).await?;
                Ok(OAuthApp {
                    endpoints: oauth_endpoints(
                        provider,
                        &Target::Sandbox {
                            base_url: base.clone(),
                        },
                    )
                    .ok_or_else(|| {
                        EngineError::validation(format!("{name} does not sign in with OAuth"))
                    })?,
                    client_id: creds["client_id"].as_str().unwrap_or_default().to_owned(),
                    client_secret: creds["client_secret"]
                        .as_str()
                        .map(|s| Secret::new(s.to_owned())),
                    // A simulator in "production keys" mode refuses loopback, as the real service does.
                    paste_redirect_uri: (creds["loopback_redirects"]
                        == serde_json::Value::Bool(false))
                    .then(|| {
                        creds["redirect_uris"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|u| u.as_str())
                            .find(|u| u.starts_with("https://"))
                            .map(str::to_owned)
                    })
                    .flatten(),
                    api_base: base,
                    loopback_port: 0,
                })
            }
            Environment::Production => {
                let pool = self.store().pool();
                let client_id: Option<String> =
                    settings::get(pool, &client_id_key(provider)).await?;
                let client_id = client_id.ok_or_else(|| EngineError::validation(format!("Add your {name} app's client id in Settings first, and register {} as its redirect URI.", redirect_uri())))?;
                Ok(OAuthApp {
                    endpoints: oauth_endpoints(provider, &Target::Production).ok_or_else(|| {
                        EngineError::validation(format!("{name} does not sign in with OAuth"))
                    })?,
                    client_id,
                    client_secret: secrets::get(
                        pool,
                        self.store().vault(),
                        &secret_scope(provider),
                        "client_secret",
                    )
                    .await?,
                    api_base: production_api_base(provider).to_owned(),
                    loopback_port: REDIRECT_PORT,
                    paste_redirect_uri: settings::get(pool, &paste_redirect_key(provider)).await?,
                })
            }
        }
    }
}
