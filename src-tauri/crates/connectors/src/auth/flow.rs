//! The authorization-code flow with PKCE (S256) and a random `state`, built on the
//! `oauth2` crate. `begin` prepares the authorize URL and the loopback listener; the
//! shell opens the URL in the system browser; `finish` waits for the callback (with a
//! timeout and a cancel signal) and exchanges the code. Where a provider refuses
//! loopback redirects, `finish_pasted` completes the same flow from the redirect URL the
//! user pastes. Tokens come back wrapped in `Secret`, and only with an `instance_url` the
//! endpoints allow (`instance_url`).

use super::endpoints::OAuthEndpoints;
use super::error::FlowError;
use super::loopback::{CallbackParams, Loopback};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, ExtraTokenFields,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::time::Duration;
use switchyard_store::kinds::ProviderId;
use switchyard_store::{now_ms, Secret};

/// Provider fields beyond RFC 6749 that Switchyard keeps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderExtras {
    /// Salesforce: the API host for this org.
    #[serde(default)]
    pub instance_url: Option<String>,
    /// Salesforce: identity URL (`…/id/<org>/<user>`).
    #[serde(default)]
    pub id: Option<String>,
    /// Salesforce: epoch ms as a string.
    #[serde(default)]
    pub issued_at: Option<String>,
    /// QuickBooks: refresh-token lifetime in seconds.
    #[serde(default)]
    pub x_refresh_token_expires_in: Option<u64>,
}

impl ExtraTokenFields for ProviderExtras {}

type ProviderTokenResponse = StandardTokenResponse<ProviderExtras, BasicTokenType>;
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    ProviderTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

#[derive(Debug, Clone)]
pub struct FlowConfig {
    pub provider: ProviderId,
    pub endpoints: OAuthEndpoints,
    pub client_id: String,
    pub client_secret: Option<Secret<String>>,
    /// 0 picks a free port; a fixed port lets the user register the exact redirect URI.
    pub loopback_port: u16,
    pub loopback_path: String,
    /// For providers that refuse loopback: the registered redirect the user copies from.
    pub paste_redirect_uri: Option<String>,
    pub timeout: Duration,
}

/// What a successful flow yields; secrets stay wrapped.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub access_token: Secret<String>,
    pub refresh_token: Option<Secret<String>>,
    /// Epoch ms; `None` when the provider does not say (Salesforce).
    pub expires_at: Option<i64>,
    pub scopes: Option<String>,
    pub instance_url: Option<String>,
    pub identity_url: Option<String>,
    pub realm_id: Option<String>,
}

/// A started flow: show `authorize_url` in the browser, then call `finish`.
#[derive(Debug)]
pub struct PendingFlow {
    pub authorize_url: String,
    pub redirect_uri: String,
    state: String,
    verifier: PkceCodeVerifier,
    client: OAuthClient,
    instance_hosts: super::instance_url::InstanceHosts,
    loopback: Option<Loopback>,
    timeout: Duration,
}

/// Prepares the authorize URL. With `paste_redirect_uri` set, no listener is started.
pub async fn begin(config: &FlowConfig) -> Result<PendingFlow, FlowError> {
    let state = CsrfToken::new_random();
    let loopback = match &config.paste_redirect_uri {
        Some(_) => None,
        None => Some(
            Loopback::bind(
                config.loopback_port,
                &config.loopback_path,
                state.secret().clone(),
            )
            .await
            .map_err(|e| {
                FlowError::Config(format!(
                    "cannot listen on 127.0.0.1:{}: {e}",
                    config.loopback_port
                ))
            })?,
        ),
    };
    let redirect_uri = match (&loopback, &config.paste_redirect_uri) {
        (Some(l), _) => l.redirect_uri.clone(),
        (None, Some(uri)) => uri.clone(),
        (None, None) => return Err(FlowError::Config("no redirect URI".into())),
    };
    let client = client(config, &redirect_uri)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let scopes = if config.endpoints.comma_scopes {
        vec![Scope::new(config.endpoints.scopes.join(","))]
    } else {
        config
            .endpoints
            .scopes
            .iter()
            .map(|s| Scope::new((*s).to_owned()))
            .collect()
    };
    let state_for_url = state.clone();
    let (url, _) = client
        .authorize_url(move || state_for_url)
        .add_scopes(scopes)
        .set_pkce_challenge(challenge)
        .url();
    Ok(PendingFlow {
        authorize_url: url.to_string(),
        redirect_uri,
        state: state.secret().clone(),
        verifier,
        client,
        instance_hosts: config.endpoints.instance_hosts.clone(),
        loopback,
        timeout: config.timeout,
    })
}

fn client(config: &FlowConfig, redirect_uri: &str) -> Result<OAuthClient, FlowError> {
    let bad = |what: &str, e: oauth2::url::ParseError| FlowError::Config(format!("{what}: {e}"));
    let mut client = oauth2::Client::new(ClientId::new(config.client_id.clone()))
        .set_auth_uri(
            AuthUrl::new(config.endpoints.authorize.clone())
                .map_err(|e| bad("authorize URL", e))?,
        )
        .set_token_uri(
            TokenUrl::new(config.endpoints.token.clone()).map_err(|e| bad("token URL", e))?,
        )
        .set_redirect_uri(
            RedirectUrl::new(redirect_uri.to_owned()).map_err(|e| bad("redirect URI", e))?,
        );
    if let Some(secret) = &config.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose().clone()));
    }
    if config.endpoints.credentials_in_body {
        client = client.set_auth_type(AuthType::RequestBody);
    }
    Ok(client)
}

impl PendingFlow {
    /// Waits for the loopback callback (or `cancel`, or the timeout) and exchanges the code.
    pub async fn finish(
        mut self,
        cancel: impl Future<Output = ()>,
    ) -> Result<TokenGrant, FlowError> {
        let loopback = self
            .loopback
            .take()
            .ok_or_else(|| FlowError::Config("this sign-in expects a pasted redirect".into()))?;
        let params = tokio::select! {
            result = tokio::time::timeout(self.timeout, loopback.wait()) => result.map_err(|_| FlowError::Timeout)??,
            () = cancel => return Err(FlowError::Cancelled),
        };
        self.exchange(params).await
    }

    /// Completes the flow from the full redirect URL the user pasted.
    pub async fn finish_pasted(self, pasted: &str) -> Result<TokenGrant, FlowError> {
        let url = oauth2::url::Url::parse(pasted.trim())
            .map_err(|_| FlowError::Config("the pasted text is not a web address".into()))?;
        let query = url.query().unwrap_or_default();
        let params: CallbackParams = serde_urlencoded_from(query)?;
        if params.state.as_deref() != Some(self.state.as_str()) {
            return Err(FlowError::StateMismatch);
        }
        if let Some(error) = params.error.clone() {
            return Err(FlowError::Denied {
                error,
                description: params.error_description,
            });
        }
        self.exchange(params).await
    }

    async fn exchange(self, params: CallbackParams) -> Result<TokenGrant, FlowError> {
        let code = params.code.clone().ok_or_else(|| FlowError::Provider {
            error: "invalid_response".into(),
            description: Some("no authorization code".into()),
        })?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FlowError::Network(e.to_string()))?;
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(self.verifier)
            .request_async(&http)
            .await
            .map_err(token_error)?;
        let mut grant = grant(response, params.realm_id);
        // Before the grant (and so any token) can reach the host it names.
        grant.instance_url = self.instance_hosts.check(grant.instance_url.as_deref())?;
        Ok(grant)
    }
}

fn serde_urlencoded_from(query: &str) -> Result<CallbackParams, FlowError> {
    let pairs: Vec<(String, String)> = oauth2::url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    Ok(CallbackParams {
        code: get("code"),
        state: get("state"),
        realm_id: get("realmId"),
        error: get("error"),
        error_description: get("error_description"),
    })
}

fn grant(response: ProviderTokenResponse, realm_id: Option<String>) -> TokenGrant {
    let expires_at = response
        .expires_in()
        .map(|d| now_ms() + i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let extras = response.extra_fields().clone();
    TokenGrant {
        access_token: Secret::new(response.access_token().secret().clone()),
        refresh_token: response
            .refresh_token()
            .map(|r| Secret::new(r.secret().clone())),
        expires_at,
        scopes: response.scopes().map(|s| {
            s.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        }),
        instance_url: extras.instance_url,
        identity_url: extras.id,
        realm_id,
    }
}

fn token_error<E: std::error::Error + 'static>(
    e: RequestTokenError<E, BasicErrorResponse>,
) -> FlowError {
    match e {
        RequestTokenError::ServerResponse(r) => FlowError::Provider {
            error: r.error().as_ref().to_owned(),
            description: r.error_description().cloned(),
        },
        RequestTokenError::Request(e) => FlowError::Network(e.to_string()),
        RequestTokenError::Parse(e, _) => FlowError::Provider {
            error: "invalid_response".into(),
            description: Some(e.to_string()),
        },
        RequestTokenError::Other(e) => FlowError::Provider {
            error: "invalid_response".into(),
            description: Some(e),
        },
    }
}
