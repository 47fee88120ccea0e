//! Two-way runs. Before the source is read, the target's changes since its own cursor
//! are read and kept. While source pages are written, a field changed on both sides
//! since the base is a conflict, settled by the row's sync rule and the mapping's
//! conflict policy (source wins, target wins, newest wins) or queued for the user
//! (`review`, the field left alone on both sides). Then the target's remaining changes
//! flow back: linked records get their changed two-way fields written to the source
//! through the rows' reverse steps, unlinked ones are matched in the source or created.
//! A value that equals the base is never written, so nothing echoes back.
//!
//! This file holds the first step (`prepare`); settling is `conflict`'s, the flow back
//! `write_back`'s.

use super::context::Ctx;
use super::cursor_row::Stored;
use crate::api::schema::connector_error;
use crate::{Engine, EngineResult};
use std::collections::HashMap;
use switchyard_connectors::connector::ReadRequest;
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::Side;
use switchyard_store::tables::{cursors, run_errors};

/// Before the source is read: the records with a conflict waiting for the user, and the
/// target's changes since its cursor, go into `ctx`. Returns the target cursor to store
/// once the run is done.
pub(super) async fn prepare(engine: &Engine, ctx: &mut Ctx, full: bool) -> EngineResult<Stored> {
    ctx.under_review = run_errors::open_for_mapping(&ctx.db, &ctx.mapping_id)
        .await?
        .into_iter()
        .filter(|e| e.code == "conflict")
        .filter_map(|e| e.record_id)
        .collect();
    let (changes, cursor) = read_target_changes(engine, ctx, full).await?;
    ctx.target_changes = Some(changes);
    Ok(cursor)
}

/// The target's changes since its cursor, and the cursor after them.
async fn read_target_changes(
    engine: &Engine,
    ctx: &Ctx,
    full: bool,
) -> EngineResult<(HashMap<String, Record>, Stored)> {
    let pool = engine.store().pool();
    let stored = if full {
        None
    } else {
        cursors::get(pool, &ctx.mapping_id, Side::Target).await?
    };
    let stored = Stored::parse(stored);
    let deletes_since = stored.deletes_since;
    // As the source read (pages.rs): a look-back window before the stored cursor, and
    // the cursor kept only over records changed before the read began.
    let horizon = chrono::Utc::now();
    let since: Option<Cursor> = stored
        .read
        .at
        .is_some()
        .then(|| stored.read.looking_back(ctx.target.read_lookback()));
    let mut cursor = since.clone().unwrap_or_default();
    let synced = stored.read.clone();
    let mut kept = stored.read;
    let mut request = ReadRequest {
        fields: ctx.target_fields.clone(),
        since,
        ..Default::default()
    };
    let mut changes = HashMap::new();
    loop {
        let page = ctx
            .target
            .read(&ctx.tspec, &request)
            .await
            .map_err(|e| connector_error(ctx.target.provider(), e))?;
        cursor.advance(&page.records);
        kept.advance_until(&page.records, Some(horizon));
        changes.extend(
            page.records
                .into_iter()
                .filter(|r| !synced.saw(r))
                .map(|r| (r.id.clone(), r)),
        );
        if !request.follow(page.next, &cursor) {
            break;
        }
    }
    Ok((
        changes,
        Stored {
            read: kept,
            deletes_since,
        },
    ))
}
