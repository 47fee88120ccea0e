//! The shared request loop of the connectors: JSON in and out through the connection's
//! authenticated client, provider errors turned into `ConnectorError`s, and cacheable
//! reads (schema descriptions, look-ups) answered by the read cache, with a metrics row
//! for each hit so the dashboard's hit rate is real.

use crate::auth::AuthedClient;
use crate::cache::{CacheKey, Lookup, ReadCache};
use crate::connector_error::ConnectorError;
use crate::http::Call;
use crate::value::Record;
use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde_json::Value as Json;
use switchyard_store::kinds::CacheUse;

/// The cache kind of an object's look-ups, which picks its lifetime (people 5 min,
/// deals 10 min, companies 30 min; the seed's leads / opportunities / accounts).
pub fn lookup_kind(object: &str) -> String {
    match object.to_lowercase().as_str() {
        "lead" | "leads" | "contact" | "contacts" => "leads",
        "opportunity" | "opportunities" | "deal" | "deals" => "opportunities",
        "account" | "accounts" | "company" | "companies" | "customer" | "customers" => "accounts",
        other => return other.to_owned(),
    }
    .to_owned()
}

#[derive(Debug, Clone)]
pub struct Api {
    client: AuthedClient,
    cache: ReadCache,
    connection_id: String,
    run_id: Option<String>,
    /// Requests sent through this handle (a run's own count starts at zero).
    calls: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// A request before it is sent: method, URL, endpoint template, optional JSON body.
#[derive(Debug, Clone)]
pub struct Request {
    call: Call,
}

impl Request {
    pub fn new(method: Method, url: impl Into<String>, endpoint: impl Into<String>) -> Self {
        let mut call = Call::new(method, url, endpoint);
        call.headers
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        Self { call }
    }

    pub fn get(url: impl Into<String>, endpoint: impl Into<String>) -> Self {
        Self::new(Method::GET, url, endpoint)
    }

    pub fn json(mut self, body: &Json) -> Self {
        self.call.body = Some(Bytes::from(body.to_string()));
        self.call
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self
    }

    /// A JSON body already written out (straight from typed values, with no
    /// `serde_json::Value` tree between).
    pub fn json_bytes(mut self, body: Vec<u8>) -> Self {
        self.call.body = Some(Bytes::from(body));
        self.call
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self
    }

    /// Safe to send twice: reads, updates by id, upserts, searches sent as POST.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.call.idempotent = yes;
        self
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.call.headers.insert(HeaderName::from_static(name), v);
        }
        self
    }
}

/// A JSON answer with its status (HubSpot's 207 and QuickBooks' 200-with-Fault matter).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Json,
}

/// A successful answer's body as bytes (`Api::send_raw`).
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub body: Bytes,
}

/// The error for an answer whose body is not the JSON it should be.
pub fn invalid_json(endpoint: &str, e: &serde_json::Error) -> ConnectorError {
    ConnectorError::unexpected(format!("{endpoint} answered with invalid JSON: {e}"))
}

impl Api {
    pub fn new(client: AuthedClient, cache: ReadCache, connection_id: &str) -> Self {
        Self {
            client,
            cache,
            connection_id: connection_id.to_owned(),
            run_id: None,
            calls: Default::default(),
        }
    }

    /// Requests sent through this handle so far (cache hits not counted).
    pub fn calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The same client, with every call's metrics row tagged with `run_id`.
    pub fn for_run(&self, run_id: Option<&str>) -> Self {
        let mut api = self.clone();
        api.run_id = run_id.map(str::to_owned);
        api.calls = Default::default();
        api
    }

    pub fn client(&self) -> &AuthedClient {
        &self.client
    }

    pub fn cache(&self) -> &ReadCache {
        &self.cache
    }

    pub async fn send(&self, request: Request) -> Result<Answer, ConnectorError> {
        let endpoint = request.call.endpoint.clone();
        let raw = self.send_raw(request).await?;
        let body = if raw.body.is_empty() {
            Json::Null
        } else {
            serde_json::from_slice(&raw.body).map_err(|e| invalid_json(&endpoint, &e))?
        };
        Ok(Answer {
            status: raw.status,
            body,
        })
    }

    /// `send`, the body left as it came, for answers decoded straight into typed rows.
    pub async fn send_raw(&self, request: Request) -> Result<RawAnswer, ConnectorError> {
        let mut call = request.call;
        call.run_id = self.run_id.clone();
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let reply = self.client.send(&call).await?;
        Ok(RawAnswer {
            status: reply.status,
            body: reply.body,
        })
    }

    /// A read the cache may answer: `kind` picks the lifetime (`describe`, `lead`, …).
    pub async fn cached(
        &self,
        kind: &str,
        key: &str,
        request: Request,
    ) -> Result<Json, ConnectorError> {
        let cache_key = CacheKey {
            connection: self.connection_id.clone(),
            kind: kind.to_owned(),
            key: key.to_owned(),
        };
        let (method, endpoint) = (request.call.method.clone(), request.call.endpoint.clone());
        let mut request = request;
        request.call.cache = CacheUse::Miss;
        let (value, lookup) = self
            .cache
            .get_or_fetch(cache_key, async {
                self.send(request).await.map(|a| a.body)
            })
            .await
            .map_err(|e| (*e).clone())?;
        if lookup == Lookup::Hit {
            self.client
                .stack()
                .record_cache_hit(&method, &endpoint, self.run_id.as_deref());
        }
        Ok(value)
    }

    /// Forgets cached reads of one object on this connection (after a write to it).
    pub fn invalidate(&self, object: &str) {
        self.cache
            .invalidate(&self.connection_id, &lookup_kind(object), None);
    }

    /// A batched look-up through the cache. Only values that were found are cached: a
    /// stale "no such record" could make a sync create a duplicate, a stale match at
    /// worst makes an update fail and be retried. Values the cache does not hold are
    /// fetched in one go by `fetch`; a look-up answered entirely from the cache leaves
    /// one `hit` row in the metrics.
    pub async fn cached_lookup<F, Fut>(
        &self,
        object: &str,
        field: &str,
        fold_case: bool,
        values: &[String],
        fields: &[String],
        fetch: F,
    ) -> Result<Vec<Record>, ConnectorError>
    where
        F: FnOnce(Vec<String>) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<Record>, ConnectorError>>,
    {
        let kind = lookup_kind(object);
        let norm = |value: &str| {
            if fold_case {
                value.to_lowercase()
            } else {
                value.to_owned()
            }
        };
        let wanted = fields.join(",");
        let key = |value: &str| {
            // `field=value|wanted` (the value folded as `norm` folds it), joined once.
            let mut key = String::with_capacity(field.len() + value.len() + wanted.len() + 2);
            key.push_str(field);
            key.push('=');
            if fold_case {
                key.push_str(&value.to_lowercase());
            } else {
                key.push_str(value);
            }
            key.push('|');
            key.push_str(&wanted);
            CacheKey {
                connection: self.connection_id.clone(),
                kind: kind.clone(),
                key,
            }
        };
        let mut found: Vec<Record> = Vec::new();
        let mut missing = Vec::new();
        for value in values {
            match self.cache.peek(&key(value)).await {
                Some(json) => {
                    found.extend(serde_json::from_value::<Vec<Record>>(json).unwrap_or_default())
                }
                None => missing.push(value.clone()),
            }
        }
        if missing.is_empty() {
            self.client.stack().record_cache_hit(
                &Method::POST,
                &format!("lookup {object}.{field}"),
                self.run_id.as_deref(),
            );
        } else {
            let fetched = fetch(missing).await?;
            let mut by_value: std::collections::HashMap<String, Vec<Record>> = Default::default();
            for r in &fetched {
                by_value
                    .entry(norm(&r.get(field).to_string()))
                    .or_default()
                    .push(r.clone());
            }
            for (value, records) in by_value {
                if let Ok(json) = serde_json::to_value(&records) {
                    self.cache.put(key(&value), json).await;
                }
            }
            found.extend(fetched);
        }
        let mut seen = std::collections::HashSet::new();
        found.retain(|r| seen.insert(r.id.clone()));
        Ok(found)
    }
}
