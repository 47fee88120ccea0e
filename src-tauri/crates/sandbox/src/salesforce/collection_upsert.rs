//! `PATCH /composite/sobjects/{Obj}/{Field}`: up to 200 records of the one object the
//! path names, each created or updated by its value of `Field` (API v46.0 and later; 404
//! NOT_FOUND before). The field must exist (404 NOT_FOUND) and be an external id or an
//! idLookup field such as Email (400 INVALID_FIELD otherwise); record ids are refused
//! unless the `collections_upsert_by_id` switch allows them. Per record: the type must be
//! the path's (INVALID_TYPE), the value must be given (MISSING_ARGUMENT) and given once
//! in the request (DUPLICATE_VALUE "Duplicate external id specified"), and it must not
//! match more than one record (DUPLICATE_EXTERNAL_ID). Results carry `created`;
//! `allOrNone` rolls every record back when one fails.

use super::api_version::Api;
use super::batch::{self, Journal};
use super::body::{RecordIn, Scalar};
use super::collections::{run, unserved};
use super::dml::{self, Actor};
use super::errors::ApiError;
use super::schema::{FType, SObject};
use super::sobjects::{duplicate_fault, object};
use super::store::{index_key, Store};
use super::upsert::{external_field, matching};
use super::write::{coerce, parse_fields, Op};
use super::Salesforce;
use crate::hashed::Fnv;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// The upsert form of sObject Collections came with API v46.0.
const FIRST_VERSION: u32 = 46;

/// The path's object and field, or the request's error.
fn target(
    sf: &Salesforce,
    params: &HashMap<String, String>,
) -> Result<(&'static SObject, usize), ApiError> {
    let obj = object(params)?;
    let name = params.get("field").map_or("", String::as_str);
    let field = external_field(obj, name)?;
    if obj.fields[field].ty == FType::Id && !sf.limits().collections_upsert_by_id {
        return Err(ApiError::bad(
            "INVALID_FIELD",
            format!("Invalid field for upsert, must be an External Id custom or standard indexed field: {name}"),
        ));
    }
    Ok((obj, field))
}

pub async fn upsert(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    Path(params): Path<HashMap<String, String>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Some(r) = unserved(&api, FIRST_VERSION) {
        return r;
    }
    let prepared = target(&sf, &params).and_then(|t| Ok((t, batch::parse(&body)?)));
    let ((obj, field), (all_or_none, mut records)) = match prepared {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let name = obj.fields[field].name;
    let by_id = obj.fields[field].ty == FType::Id;
    let values: Vec<Option<Cow<'_, str>>> = records
        .iter()
        .map(|r| r.find_ci(name).and_then(Scalar::id_text))
        .collect();
    // How often each value (compared as the index compares it) comes in this request.
    let mut counts: HashMap<Cow<'_, str>, usize, BuildHasherDefault<Fnv>> =
        HashMap::with_capacity_and_hasher(values.len(), BuildHasherDefault::default());
    for v in values.iter().flatten() {
        *counts.entry(index_key(v)).or_default() += 1;
    }
    let repeated = |v: &str| counts.get(&index_key(v)).copied().unwrap_or(0) > 1;
    run(
        &sf,
        &method,
        &uri,
        all_or_none,
        records.len(),
        |i: usize, store: &mut Store, journal: &mut Journal, who: &Actor<'_>| {
            let mut fields = std::mem::take(&mut records[i]);
            let result = (|| {
                match fields.type_name() {
                    None => {
                        return Err(ApiError::bad(
                            "INVALID_TYPE",
                            "Must send a concrete entity type.",
                        ))
                    }
                    Some(t) if !t.eq_ignore_ascii_case(obj.name) => {
                        return Err(ApiError::bad(
                            "INVALID_TYPE",
                            format!("The record type must be {}", obj.name),
                        ))
                    }
                    Some(_) => {}
                }
                fields.remove_ci(name);
                let Some(value) = values[i].as_deref() else {
                    if by_id {
                        // `Id` without a value: a new record (the Mobile SDK's way).
                        return create(
                            &sf,
                            store,
                            journal,
                            who,
                            obj,
                            fields,
                            None,
                            (&method, &uri),
                        );
                    }
                    return Err(ApiError::bad(
                        "MISSING_ARGUMENT",
                        format!("{name} not specified"),
                    ));
                };
                if repeated(value) {
                    return Err(ApiError::bad(
                        "DUPLICATE_VALUE",
                        format!("Duplicate external id specified: {value}"),
                    )
                    .with_fields([name]));
                }
                match matching(store, obj, field, value).as_slice() {
                    [] if by_id => Err(ApiError::not_found()),
                    [] => {
                        let key = Some((field, value.to_owned()));
                        create(&sf, store, journal, who, obj, fields, key, (&method, &uri))
                    }
                    [id] => {
                        let changes = parse_fields(obj, fields, Op::Update)?;
                        journal.note(store, obj, id);
                        dml::update(store, obj, id, changes, who).map(|()| (id.clone(), false))
                    }
                    found => Err(ApiError::bad(
                        "DUPLICATE_EXTERNAL_ID",
                        format!(
                            "{name}: more than one record found for external id field: [{}]",
                            found.join(", ")
                        ),
                    )
                    .with_fields([name])),
                }
            })();
            result.map_or_else(
                |e| batch::ItemResult::failed(None, e),
                |(id, created)| batch::ItemResult::ok(id, Some(created)),
            )
        },
    )
}

/// Inserts an upserted record that matched none, with its key value when it has one.
#[allow(clippy::too_many_arguments)]
fn create(
    sf: &Salesforce,
    store: &mut Store,
    journal: &mut Journal,
    who: &Actor<'_>,
    obj: &'static SObject,
    fields: RecordIn<'_>,
    key: Option<(usize, String)>,
    (method, uri): (&Method, &Uri),
) -> Result<(String, bool), ApiError> {
    let mut changes = parse_fields(obj, fields, Op::Create)?;
    if let Some((field, value)) = key {
        changes.push((
            field,
            coerce(&obj.fields[field], Scalar::Str(value.into()))?,
        ));
    }
    if let Some(e) = duplicate_fault(sf, store, obj, method, uri) {
        return Err(e);
    }
    let id = dml::create(store, obj, changes, who)?;
    journal.note_created(obj, &id);
    Ok((id, true))
}
