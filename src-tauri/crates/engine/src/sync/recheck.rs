//! Updates that may race another person's edit. An update is decided against the target
//! as it was then — its base, or the record read when it was matched or when a two-way
//! run read the target's changes — and is sent later: writes wait in `Pending` for full
//! batches, up to ten pages. Whoever saves the record in between must not lose their edit.
//!
//! The rule, the same for every provider: read the record again, and compare each field
//! we are about to write three ways — the value it had when we decided (`expected`),
//! ours, and its value now. Now equal to expected: nobody else touched it, write ours.
//! Now equal to ours: nothing to write. Otherwise both sides changed it to different
//! values: a collision, left as the other person set it and queued for the user as a
//! `conflict` run error (payload `conflict::Conflict`), settled from the review queue
//! like any other conflict (`resolve.rs`). Fields we do not write are never sent, so
//! edits to them survive anyway (updates are sparse everywhere).
//!
//! When to read again, and what it costs:
//! - QuickBooks names the version it updates (`SyncToken`), and refuses a stale one
//!   with 5010: the provider's own conditional write. A record whose token was not read
//!   while deciding (a linked one) is read just before the write for its token anyway;
//!   that read is merged with first, at no extra cost. A record matched earlier is sent
//!   with the token seen then; only the items refused with 5010 are read again (one
//!   query for the batch), merged, and sent once more with the fresh token (one batch). A 5010 on a
//!   write back to the source in a two-way run has no expected values to merge with: it
//!   is left as a retryable failure for the next run, never resent as it was.
//! - Salesforce and HubSpot have no conditional batch update. Salesforce's
//!   `If-Unmodified-Since` / `If-Match` work on sObject Rows (one record a call), not on
//!   sObject Collections; HubSpot's batch update takes no precondition. So before an
//!   update batch is sent, the records it holds that were *read from the target* when
//!   decided (matched in a look-up, or read as a two-way change) are read again in one
//!   batched call per batch, and only a record whose last-modified time moved since is
//!   merged. A linked record decided from its base alone in a one-way run is not read
//!   again: its decision did not depend on the target's state, and re-reading every
//!   update batch would double the cost of incremental runs (B2).

use super::conflict::Conflict;
use super::context::{Ctx, Failed, Way};
use super::plan::{Decision, Values};
use super::snapshots::Snapshots;
use crate::api::schema::connector_error;
use crate::EngineResult;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use switchyard_connectors::connector::{Connector, WriteOp, WriteResult, WriteRow, Written};
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::{ProviderId, Side};

/// QuickBooks' Stale Object Error: the SyncToken sent is not the record's current one.
pub(super) const STALE: &str = "5010";

/// The three-way result for one record.
#[derive(Debug, Default, PartialEq)]
pub struct Merged {
    /// Our values nobody else changed: still to be written.
    pub send: Values,
    /// Fields both sides changed, to different values.
    pub collisions: Vec<Conflict>,
}

fn same(a: &Value, b: &Value) -> bool {
    a.same(b) || (a.is_blank() && b.is_blank())
}

/// Compares `ours` with the record `now`, field by field, against `expected`.
pub fn merge(ours: &Values, expected: &Values, now: &Record) -> Merged {
    let mut out = Merged::default();
    for (field, mine) in ours {
        let was = expected.get(field).unwrap_or(&Value::Null);
        let current = now.get(field);
        if same(current, was) {
            out.send.insert(field.clone(), mine.clone());
        } else if !same(current, mine) {
            out.collisions.push(Conflict {
                field: field.clone(),
                source: mine.clone(),
                target: current.clone(),
            });
        }
    }
    out
}

/// QuickBooks updates must name the record's current SyncToken: reads the ones not seen
/// while deciding (now, not from the read cache). Written forward, that read brings the
/// mapped fields too, so the update is checked against it before it is sent, free.
pub(super) async fn fill_versions(
    ctx: &Ctx<'_>,
    to: Way,
    connector: &Arc<dyn Connector>,
    spec: &ObjectSpec,
    updates: &[&Decision],
    snaps: &mut Snapshots,
) -> EngineResult<()> {
    if connector.provider() != ProviderId::Quickbooks {
        return Ok(());
    }
    let missing: Vec<String> = updates
        .iter()
        .filter_map(|d| d.target_id.clone())
        .filter(|t| !snaps.versions.contains_key(t))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let fields = match to {
        Way::Forward => ctx.target_fields.clone(),
        Way::Backward => Vec::new(),
    };
    let current = connector
        .reread(spec, &missing, &fields)
        .await
        .map_err(|e| connector_error(connector.provider(), e))?;
    for r in current {
        if let Some(v) = &r.version {
            snaps.versions.insert(r.id.clone(), v.clone());
        }
        if to == Way::Forward {
            snaps.current.insert(r.id.clone(), r);
        }
    }
    Ok(())
}

/// What one update is checked against: the target record as read when decided (a
/// two-way change), else the values the decision compared with.
fn expected_of(ctx: &Ctx<'_>, d: &Decision) -> Values {
    let read = d
        .target_id
        .as_ref()
        .and_then(|t| ctx.target_changes.as_ref()?.get(t));
    match read {
        Some(r) => d
            .changes
            .keys()
            .map(|f| (f.clone(), r.get(f).clone()))
            .collect(),
        None => d.expected.clone(),
    }
}

/// Sends one group of updates under the race rule above: one result per decision, in
/// order; collisions are added to `failures` as `conflict`s (their records count as
/// written: the link's base takes our value, so the next run does not send it again).
pub(super) async fn send_updates(
    ctx: &Ctx<'_>,
    to: Way,
    connector: &Arc<dyn Connector>,
    spec: &ObjectSpec,
    decisions: &[&Decision],
    snaps: &Snapshots,
    failures: &mut Vec<Failed>,
) -> EngineResult<Vec<WriteResult>> {
    let forward = to == Way::Forward;
    let quickbooks = connector.provider() == ProviderId::Quickbooks;
    let mut send: Vec<Values> = decisions.iter().map(|d| d.changes.clone()).collect();
    let mut versions: Vec<Option<String>> = decisions
        .iter()
        .map(|d| {
            d.target_id
                .as_ref()
                .and_then(|t| snaps.versions.get(t).cloned())
        })
        .collect();
    if forward && !quickbooks {
        let seen_of = |d: &Decision| -> Option<Option<DateTime<Utc>>> {
            let t = d.target_id.as_ref()?;
            if let Some(r) = ctx.target_changes.as_ref().and_then(|c| c.get(t)) {
                return Some(r.modified);
            }
            snaps.seen.get(t).copied()
        };
        let racing: Vec<usize> = (0..decisions.len())
            .filter(|i| seen_of(decisions[*i]).is_some())
            .collect();
        let now = reread(ctx, connector, spec, decisions, &racing).await?;
        for i in racing {
            let d = decisions[i];
            let Some(current) = d.target_id.as_ref().and_then(|t| now.get(t)) else {
                continue;
            };
            let seen = seen_of(d).flatten();
            if seen.is_some() && current.modified == seen {
                continue;
            }
            send[i] = settle(ctx, d, &expected_of(ctx, d), current, failures);
        }
    }
    if forward && quickbooks {
        for (i, d) in decisions.iter().enumerate() {
            if let Some(current) = d.target_id.as_ref().and_then(|t| snaps.current.get(t)) {
                send[i] = settle(ctx, d, &expected_of(ctx, d), current, failures);
            }
        }
    }
    let mut results = write(connector, spec, decisions, &send, &versions).await?;
    if forward && quickbooks {
        let stale: Vec<usize> = (0..decisions.len())
            .filter(|i| matches!(&results[*i], Err(e) if e.code == STALE))
            .collect();
        if !stale.is_empty() {
            let now = reread(ctx, connector, spec, decisions, &stale).await?;
            let mut again = Vec::new();
            for i in stale {
                let d = decisions[i];
                let Some(current) = d.target_id.as_ref().and_then(|t| now.get(t)) else {
                    continue;
                };
                let mut tried = d.clone();
                tried.changes = std::mem::take(&mut send[i]);
                send[i] = settle(ctx, &tried, &expected_of(ctx, d), current, failures);
                versions[i] = current.version.clone();
                again.push(i);
            }
            let group: Vec<&Decision> = again.iter().map(|i| decisions[*i]).collect();
            let sends: Vec<Values> = again.iter().map(|i| send[*i].clone()).collect();
            let tokens: Vec<Option<String>> = again.iter().map(|i| versions[*i].clone()).collect();
            let retried = write(connector, spec, &group, &sends, &tokens).await?;
            for (i, r) in again.into_iter().zip(retried) {
                results[i] = r;
            }
        }
    }
    Ok(results)
}

/// Reads the target records of `which` decisions again, by id.
async fn reread(
    ctx: &Ctx<'_>,
    connector: &Arc<dyn Connector>,
    spec: &ObjectSpec,
    decisions: &[&Decision],
    which: &[usize],
) -> EngineResult<HashMap<String, Record>> {
    let ids: Vec<String> = which
        .iter()
        .filter_map(|i| decisions[*i].target_id.clone())
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let fields = if spec.name == ctx.tspec.name {
        ctx.target_fields.clone()
    } else {
        Vec::new()
    };
    Ok(connector
        .reread(spec, &ids, &fields)
        .await
        .map_err(|e| connector_error(connector.provider(), e))?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect())
}

/// Merges one decision with the record as it is now; queues its collisions.
fn settle(
    ctx: &Ctx<'_>,
    d: &Decision,
    expected: &Values,
    now: &Record,
    failures: &mut Vec<Failed>,
) -> Values {
    let merged = merge(&d.changes, expected, now);
    for c in merged.collisions {
        let message = format!(
            "{} was changed in {} while Switchyard was writing it: {} has {:?}, {} now has {:?}. Choose which to keep.",
            c.field,
            ctx.tspec.label,
            ctx.sspec.label,
            c.source.to_string(),
            ctx.tspec.label,
            c.target.to_string()
        );
        tracing::info!(field = %c.field, record = %d.source_id, "update raced another edit; queued as a conflict");
        failures.push(Failed {
            side: Side::Source,
            record_id: d.source_id.clone(),
            code: "conflict".into(),
            message,
            payload: serde_json::to_string(&c).ok(),
        });
    }
    merged.send
}

/// Writes the non-empty `send`s; a decision left with nothing to send counts as written.
async fn write(
    connector: &Arc<dyn Connector>,
    spec: &ObjectSpec,
    decisions: &[&Decision],
    send: &[Values],
    versions: &[Option<String>],
) -> EngineResult<Vec<WriteResult>> {
    let sent: Vec<usize> = (0..decisions.len())
        .filter(|i| !send[*i].is_empty())
        .collect();
    let rows: Vec<WriteRow> = sent
        .iter()
        .map(|i| WriteRow {
            id: decisions[*i].target_id.clone(),
            version: versions[*i].clone(),
            fields: std::borrow::Cow::Borrowed(&send[*i]),
        })
        .collect();
    let mut results: Vec<WriteResult> = decisions
        .iter()
        .map(|d| {
            Ok(Written {
                id: d.target_id.clone().unwrap_or_default(),
                created: false,
                version: None,
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(results);
    }
    let answers = connector
        .write(spec, &WriteOp::Update, &rows)
        .await
        .map_err(|e| connector_error(connector.provider(), e))?;
    for (i, r) in sent.into_iter().zip(answers) {
        results[i] = r;
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::text(*v)))
            .collect()
    }

    #[test]
    fn only_fields_nobody_else_changed_are_sent_and_real_collisions_are_kept() {
        let ours = values(&[
            ("Title", "CTO"),
            ("Phone", "1"),
            ("City", "Oslo"),
            ("Company", "B"),
        ]);
        let expected = values(&[
            ("Title", "CEO"),
            ("Phone", "0"),
            ("City", "Rome"),
            ("Company", "A"),
        ]);
        let now = Record {
            id: "t1".into(),
            modified: None,
            archived: false,
            version: None,
            // Title untouched, Phone changed by someone else, City changed to ours,
            // Company changed by someone else.
            fields: values(&[
                ("Title", "CEO"),
                ("Phone", "9"),
                ("City", "Oslo"),
                ("Company", "C"),
            ]),
        };
        let merged = merge(&ours, &expected, &now);
        assert_eq!(merged.send, values(&[("Title", "CTO")]));
        let fields: Vec<&str> = merged.collisions.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["Company", "Phone"]);
        assert_eq!(merged.collisions[1].source, Value::text("1"));
        assert_eq!(merged.collisions[1].target, Value::text("9"));
    }

    #[test]
    fn blank_and_missing_values_are_the_same_nothing() {
        let ours = values(&[("Title", "CTO")]);
        let now = Record {
            id: "t1".into(),
            modified: None,
            archived: false,
            version: None,
            fields: values(&[("Title", "")]),
        };
        let merged = merge(&ours, &Values::new(), &now);
        assert_eq!(merged.send, ours);
        assert!(merged.collisions.is_empty());
    }
}
