//! Health ticks beside a big sync. The monitor's tick (roll-up of the current minutes,
//! judging every connection, alert rules and delivery) and the minute maintenance pass
//! run back to back while a 10,000-contact HubSpot → Salesforce run writes its request
//! metrics, outbox intents, links and checkpoints. None of them may fail with "database
//! is locked": a transaction that reads and then writes must take the write lock when it
//! begins (`BEGIN IMMEDIATE`), or a commit by the run in between leaves it on a stale
//! snapshot (SQLITE_BUSY_SNAPSHOT, 517) that no busy timeout can wait out.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use switchyard_engine::store::now_ms;
use switchyard_engine::sync::RunOptions;

fn is_lock_error(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("locked") || m.contains("busy") || m.contains("(code: 5") || m.contains("517")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_ticks_beside_a_10000_record_run_never_hit_a_locked_database() {
    let setup = common::sandbox_engine(7, 10_000).await;
    let engine = setup.engine.clone();
    let draft = setup.contacts_to_leads().await;
    let mapping = engine.create_mapping(draft).await.unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (engine, done) = (engine.clone(), done.clone());
        tokio::spawn(async move {
            let (mut ticks, mut rollups, mut errors) = (0u32, 0u32, Vec::<String>::new());
            while !done.load(Ordering::Relaxed) {
                match engine.health_tick(now_ms()).await {
                    Ok(_) => ticks += 1,
                    Err(e) => errors.push(format!("tick: {}", e.message)),
                }
                match engine.roll_up_metrics(now_ms()).await {
                    Ok(_) => rollups += 1,
                    Err(e) => errors.push(format!("roll-up: {}", e.message)),
                }
            }
            (ticks, rollups, errors)
        })
    };
    let report = engine
        .run_mapping(&mapping.id, RunOptions::default(), &|_| {})
        .await;
    done.store(true, Ordering::Relaxed);
    let (ticks, rollups, errors) = ticker.await.unwrap();
    let report = report.unwrap();
    assert!(report.read >= 9_000, "{}", report.message);
    assert!(
        report.created + report.updated >= 8_000,
        "the run wrote while the ticks ran: {}",
        report.message
    );
    assert!(
        ticks >= 20 && rollups >= 20,
        "{ticks} ticks, {rollups} roll-ups"
    );
    let locked: Vec<&String> = errors.iter().filter(|e| is_lock_error(e)).collect();
    assert!(
        locked.is_empty(),
        "{} of {} ticks and roll-ups hit a locked database, e.g. {:?}",
        locked.len(),
        ticks + rollups,
        locked.first()
    );
    assert!(errors.is_empty(), "other tick errors: {errors:?}");
    eprintln!(
        "{ticks} ticks and {rollups} roll-ups beside a run of {} records: 0 lock errors",
        report.read
    );
}
