//! Batch endpoints `POST …/{object}/batch/{read|create|update|upsert|archive}` with
//! `{"inputs":[…]}` (at most 100, else 400): create answers 201, archive 204, the others
//! 200 with `{status:"COMPLETE", results, startedAt, completedAt}`; some inputs failing
//! gives 207 with `errors[]` and `numErrors` (also what the PartialBatch fault forces,
//! failing every second input). Upsert results carry `new`.

use super::auth::Caller;
use super::errors;
use super::objects::{check_required, duplicate, written};
use super::render::{body_json, kind_of, names_in, read_query, render, render_written};
use super::schema::Kind;
use super::validate::check_props;
use super::Hubspot;
use crate::faults::FaultKind;
use crate::oauth::now_ms;
use crate::seed::iso_z;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// One failed input (or group of inputs) in a 207.
fn item_error(category: &str, message: &str, context: Value) -> Value {
    json!({ "status": "error", "category": category, "message": message, "context": context, "links": {}, "errors": [] })
}

fn envelope(ok: StatusCode, results: Vec<Value>, errors: Vec<Value>, started: i64) -> Response {
    let mut body = json!({ "status": "COMPLETE", "results": results, "startedAt": iso_z(started), "completedAt": iso_z(now_ms()) });
    if errors.is_empty() {
        return errors::json_response(ok, &body);
    }
    body["numErrors"] = json!(errors.len());
    body["errors"] = Value::Array(errors);
    errors::json_response(StatusCode::MULTI_STATUS, &body)
}

/// Under an injected partial failure, every second input fails (the only one if alone).
fn fails(partial: bool, index: usize, total: usize) -> bool {
    partial && (total == 1 || index % 2 == 1)
}

/// An injected item failure, naming the input by the `objectWriteTraceId` the client set
/// on it (HubSpot's way of telling which input of a batch failed), else by position.
fn injected(index: usize, input: &Value) -> Value {
    let context = match input.get("objectWriteTraceId").and_then(Value::as_str) {
        Some(trace) => json!({ "objectWriteTraceId": [trace] }),
        None => json!({ "inputIndex": [index.to_string()] }),
    };
    item_error("VALIDATION_ERROR", errors::GENERIC_400, context)
}

fn input_id(input: &Value) -> String {
    match input.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn not_found(kind: Kind, ids: Vec<String>) -> Value {
    let message = format!("Could not get some {} objects, they may be deleted or not exist. Check that ids are valid.", kind.singular_title().to_uppercase());
    item_error("OBJECT_NOT_FOUND", &message, json!({ "ids": ids }))
}

pub async fn batch(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Path<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let run = || -> Result<Response, Response> {
        let kind = kind_of(&p)?;
        let action = p.get("action").map(String::as_str).unwrap_or_default();
        if !matches!(action, "read" | "create" | "update" | "upsert" | "archive") {
            return Err(errors::not_found());
        }
        caller.allows(kind, action != "read")?;
        let body = body_json(&body)?;
        let inputs = body
            .get("inputs")
            .and_then(Value::as_array)
            .ok_or_else(|| errors::validation("inputs is required"))?;
        let max = hs.limits.config().batch_max_inputs;
        if inputs.len() as u64 > max {
            return Err(errors::validation(&format!(
                "{} inputs were given but at most {max} are allowed in one batch.",
                inputs.len()
            )));
        }
        let started = now_ms();
        let partial = hs
            .ctx
            .faults
            .take(&FaultKind::PartialBatch, "POST", uri.path());
        let batch = Batch {
            hs: &hs,
            kind,
            inputs,
            partial,
            started,
        };
        match action {
            "read" => batch.read(&body, read_query(uri.query()).archived),
            "create" => batch.create(uri.path()),
            "update" => batch.update(),
            "upsert" => batch.upsert(),
            _ => Ok(batch.archive()),
        }
    };
    run().unwrap_or_else(|e| e)
}

struct Batch<'a> {
    hs: &'a Hubspot,
    kind: Kind,
    inputs: &'a [Value],
    partial: bool,
    started: i64,
}

impl Batch<'_> {
    fn props_of(&self, input: &Value) -> Result<BTreeMap<String, String>, Response> {
        let body: Map<String, Value> = input.as_object().cloned().unwrap_or_default();
        written(self.kind, &body, self.hs.hub_id())
    }

    fn read(&self, body: &Map<String, Value>, archived: bool) -> Result<Response, Response> {
        let props = names_in(body.get("properties"));
        let id_property = body.get("idProperty").and_then(Value::as_str);
        let data = self.hs.data();
        let store = data.store(self.kind);
        let (mut results, mut missing, mut errors) = (Vec::new(), Vec::new(), Vec::new());
        for (i, input) in self.inputs.iter().enumerate() {
            let key = input_id(input);
            if fails(self.partial, i, self.inputs.len()) {
                errors.push(injected(i, input));
                continue;
            }
            match store
                .resolve(&key, id_property)
                .and_then(|id| store.records.get(&id))
                .filter(|r| r.is_live() != archived)
            {
                Some(r) => results.push(render(self.kind, r, props.as_deref())),
                None => missing.push(key),
            }
        }
        if !missing.is_empty() {
            errors.push(not_found(self.kind, missing));
        }
        Ok(envelope(StatusCode::OK, results, errors, self.started))
    }

    fn create(&self, path: &str) -> Result<Response, Response> {
        let all: Vec<BTreeMap<String, String>> = self
            .inputs
            .iter()
            .map(|i| self.props_of(i))
            .collect::<Result<_, _>>()?;
        all.iter()
            .try_for_each(|p| check_required(self.hs, self.kind, p))?;
        let mut seen = HashSet::new();
        let repeated: Vec<&str> = all
            .iter()
            .filter_map(|p| p.get("email"))
            .filter(|e| !seen.insert(e.to_lowercase()))
            .map(String::as_str)
            .collect();
        if !repeated.is_empty() {
            return Err(errors::validation(&format!(
                "Duplicate IDs found in batch input: {repeated:?}"
            )));
        }
        let mut data = self.hs.data();
        if let Some(r) = all
            .iter()
            .find_map(|p| duplicate(self.hs, &data, self.kind, p, path))
        {
            return Err(r);
        }
        let (mut results, mut errors) = (Vec::new(), Vec::new());
        let now = now_ms();
        for (i, (input, props)) in self.inputs.iter().zip(all).enumerate() {
            if fails(self.partial, i, self.inputs.len()) {
                errors.push(injected(i, input));
                continue;
            }
            let names: Vec<String> = props.keys().cloned().collect();
            let store = data.store_mut(self.kind);
            let id = store.insert(props, now, now);
            if let Some(r) = store.records.get(&id) {
                results.push(render_written(self.kind, r, &names));
            }
        }
        Ok(envelope(StatusCode::CREATED, results, errors, self.started))
    }

    fn update(&self) -> Result<Response, Response> {
        let all: Vec<BTreeMap<String, String>> = self
            .inputs
            .iter()
            .map(|i| self.props_of(i))
            .collect::<Result<_, _>>()?;
        let mut data = self.hs.data();
        let (mut results, mut missing, mut errors) = (Vec::new(), Vec::new(), Vec::new());
        let now = now_ms();
        for (i, (input, props)) in self.inputs.iter().zip(all).enumerate() {
            let key = input_id(input);
            if fails(self.partial, i, self.inputs.len()) {
                errors.push(injected(i, input));
                continue;
            }
            let store = data.store_mut(self.kind);
            let Some(id) = store
                .resolve(&key, input.get("idProperty").and_then(Value::as_str))
                .filter(|id| store.live(*id).is_some())
            else {
                missing.push(key);
                continue;
            };
            if let Some(existing) = store.email_conflict(&props, Some(id)) {
                errors.push(item_error(
                    "CONFLICT",
                    &format!("Contact already exists. Existing ID: {existing}"),
                    json!({ "ids": [key] }),
                ));
                continue;
            }
            let names: Vec<String> = props.keys().cloned().collect();
            store.update(id, props, now);
            if let Some(r) = store.records.get(&id) {
                results.push(render_written(self.kind, r, &names));
            }
        }
        if !missing.is_empty() {
            errors.push(not_found(self.kind, missing));
        }
        Ok(envelope(StatusCode::OK, results, errors, self.started))
    }

    /// Every input's key, checked before anything is written: the idProperty must be a
    /// unique property (400), the id present (400), an email id a valid email (400), and
    /// no key given twice (400 "Duplicate IDs found in batch input").
    fn upsert_keys(&self) -> Result<Vec<(String, &'static str)>, Response> {
        let mut keys = Vec::with_capacity(self.inputs.len());
        let mut seen = HashSet::new();
        let mut repeated = Vec::new();
        for (i, input) in self.inputs.iter().enumerate() {
            let id_property = match input.get("idProperty").and_then(Value::as_str) {
                None => "hs_object_id",
                Some("hs_object_id") => "hs_object_id",
                Some("email") if self.kind == Kind::Contacts => "email",
                Some(other) => {
                    return Err(errors::validation(&format!(
                        "{other} is not a unique property of {} and cannot be used as idProperty.",
                        self.kind.plural()
                    )));
                }
            };
            let key = input_id(input).trim().to_owned();
            if key.is_empty() {
                return Err(errors::validation(&format!(
                    "Each input needs an id; input {i} has none."
                )));
            }
            if id_property == "email" {
                let as_props = Map::from_iter([("email".to_owned(), Value::String(key.clone()))]);
                check_props(self.kind, &as_props, self.hs.hub_id())
                    .map_err(|e| errors::invalid_properties(&e))?;
            }
            let compared = match id_property {
                "email" => key.to_lowercase(),
                _ => key.clone(),
            };
            if !seen.insert(compared) {
                repeated.push(key.clone());
            }
            keys.push((key, id_property));
        }
        if !repeated.is_empty() {
            return Err(errors::validation(&format!(
                "Duplicate IDs found in batch input: {repeated:?}"
            )));
        }
        Ok(keys)
    }

    fn upsert(&self) -> Result<Response, Response> {
        let keys = self.upsert_keys()?;
        let all: Vec<BTreeMap<String, String>> = self
            .inputs
            .iter()
            .map(|i| self.props_of(i))
            .collect::<Result<_, _>>()?;
        let mut data = self.hs.data();
        let (mut results, mut errors) = (Vec::new(), Vec::new());
        let now = now_ms();
        for (i, ((input, mut props), (key, id_property))) in
            self.inputs.iter().zip(all).zip(keys).enumerate()
        {
            let by_email = id_property == "email";
            if fails(self.partial, i, self.inputs.len()) {
                errors.push(injected(i, input));
                continue;
            }
            let store = data.store_mut(self.kind);
            let existing = store
                .resolve(&key, Some(id_property))
                .filter(|id| store.live(*id).is_some());
            let (id, new) = match existing {
                Some(id) => {
                    if by_email {
                        props.remove("email");
                    } else if let Some(other) = store.email_conflict(&props, Some(id)) {
                        let message = format!("Contact already exists. Existing ID: {other}");
                        errors.push(item_error("CONFLICT", &message, json!({ "ids": [key] })));
                        continue;
                    }
                    store.update(id, props.clone(), now);
                    (id, false)
                }
                None if by_email => {
                    props.insert("email".into(), key.clone());
                    (store.insert(props.clone(), now, now), true)
                }
                None => {
                    errors.push(not_found(self.kind, vec![key]));
                    continue;
                }
            };
            let names: Vec<String> = props.keys().cloned().collect();
            if let Some(r) = store.records.get(&id) {
                let mut v = render_written(self.kind, r, &names);
                v["new"] = json!(new);
                results.push(v);
            }
        }
        Ok(envelope(StatusCode::OK, results, errors, self.started))
    }

    fn archive(&self) -> Response {
        let mut data = self.hs.data();
        let mut errors = Vec::new();
        let now = now_ms();
        for (i, input) in self.inputs.iter().enumerate() {
            if fails(self.partial, i, self.inputs.len()) {
                errors.push(injected(i, input));
            } else if let Ok(id) = input_id(input).trim().parse::<u64>() {
                data.store_mut(self.kind).archive(id, now);
            }
        }
        if errors.is_empty() {
            StatusCode::NO_CONTENT.into_response()
        } else {
            envelope(StatusCode::OK, Vec::new(), errors, self.started)
        }
    }
}
