//! Sending prepared rows in the provider's batch size and putting one result back in
//! each row's place. Rows that could not even be encoded keep their error and are not
//! sent; when a whole batch call fails (the provider down, the quota spent), its rows and
//! every later row get that failure as their result and nothing more is sent, so the
//! results of the batches already written are never lost.

use crate::connector::{ConnectorError, RecordError, WriteResult};
use std::future::Future;

/// A stable code for rows whose batch was not answered.
pub const CALL_FAILED: &str = "call_failed";
pub const NOT_SENT: &str = "not_sent";

pub async fn in_batches<T, F, Fut>(
    rows: Vec<Result<T, RecordError>>,
    size: usize,
    mut send: F,
) -> Vec<WriteResult>
where
    F: FnMut(Vec<T>) -> Fut,
    Fut: Future<Output = Result<Vec<WriteResult>, ConnectorError>>,
{
    let mut out: Vec<Option<WriteResult>> = Vec::with_capacity(rows.len());
    let mut pending: Vec<(usize, T)> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        match row {
            Ok(item) => {
                out.push(None);
                pending.push((i, item));
            }
            Err(e) => out.push(Some(Err(e))),
        }
    }
    let mut stopped: Option<RecordError> = None;
    let mut queue = pending.into_iter().peekable();
    while queue.peek().is_some() {
        let chunk: Vec<(usize, T)> = queue.by_ref().take(size.max(1)).collect();
        if let Some(reason) = &stopped {
            for (i, _) in chunk {
                out[i] = Some(Err(reason.clone()));
            }
            continue;
        }
        let (slots, items): (Vec<usize>, Vec<T>) = chunk.into_iter().unzip();
        let expected = slots.len();
        match send(items).await {
            Ok(results) if results.len() == expected => {
                for (i, r) in slots.into_iter().zip(results) {
                    out[i] = Some(r);
                }
            }
            Ok(results) => {
                let e = RecordError::new(
                    CALL_FAILED,
                    format!(
                        "the provider answered {} results for {expected} records",
                        results.len()
                    ),
                );
                for i in slots {
                    out[i] = Some(Err(e.clone()));
                }
            }
            Err(e) => {
                let mut failed = RecordError::new(CALL_FAILED, e.to_string());
                failed.retryable = e.is_transient();
                for i in slots {
                    out[i] = Some(Err(failed.clone()));
                }
                let mut later = RecordError::new(NOT_SENT, format!("not sent: {e}"));
                later.retryable = true;
                stopped = Some(later);
            }
        }
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(RecordError::new(NOT_SENT, "not sent"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::Written;

    #[tokio::test]
    async fn results_land_in_their_rows_and_a_failed_batch_stops_the_rest() {
        let rows: Vec<Result<u32, RecordError>> = vec![
            Ok(1),
            Err(RecordError::new("bad", "no")),
            Ok(2),
            Ok(3),
            Ok(4),
            Ok(5),
        ];
        let mut calls = 0;
        let results = in_batches(rows, 2, |items: Vec<u32>| {
            calls += 1;
            let n = calls;
            async move {
                if n == 2 {
                    return Err(ConnectorError::Unavailable("down".into()));
                }
                Ok(items
                    .into_iter()
                    .map(|i| {
                        Ok(Written {
                            id: format!("id{i}"),
                            created: true,
                            version: None,
                        })
                    })
                    .collect())
            }
        })
        .await;
        assert_eq!(calls, 2, "nothing sent after the failed batch");
        let codes: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(w) => w.id.clone(),
                Err(e) => e.code.clone(),
            })
            .collect();
        assert_eq!(
            codes,
            [
                "id1",
                "bad",
                "id2",
                "call_failed",
                "call_failed",
                "not_sent"
            ]
        );
    }
}
