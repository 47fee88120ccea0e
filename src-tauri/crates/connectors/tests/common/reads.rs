//! Reading a whole object through a connector, the way the sync runner does: following
//! page tokens, or starting a fresh query from the checkpointed cursor after every page.

use switchyard_connectors::connector::{Connector, Next, ReadRequest};
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::Record;

pub async fn read_all(
    c: &dyn Connector,
    spec: &ObjectSpec,
    fields: &[&str],
    since: Option<Cursor>,
) -> (Vec<Record>, Cursor) {
    let mut request = ReadRequest {
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        since: since.clone(),
        ..Default::default()
    };
    let mut cursor = since.unwrap_or_default();
    let mut out = Vec::new();
    loop {
        let page = c.read(spec, &request).await.unwrap();
        cursor.advance(&page.records);
        out.extend(page.records);
        if !request.follow(page.next, &cursor) {
            break;
        }
    }
    (out, cursor)
}

/// Reads from `cursor` as a run that stops and resumes after every page would: a fresh
/// query from the checkpointed cursor each time, following page tokens only while a page
/// holds nothing new (all of it seen at the cursor's timestamp).
pub async fn read_checkpointed(
    c: &dyn Connector,
    spec: &ObjectSpec,
    mut cursor: Cursor,
) -> (Vec<String>, u32) {
    let mut ids = Vec::new();
    let mut queries = 0;
    'resume: loop {
        let mut request = ReadRequest {
            fields: Vec::new(),
            since: Some(cursor.clone()),
            ..Default::default()
        };
        loop {
            let page = c.read(spec, &request).await.unwrap();
            queries += 1;
            assert!(queries < 100, "no progress");
            if !page.records.is_empty() {
                cursor.advance(&page.records);
                ids.extend(page.records.into_iter().map(|r| r.id));
                continue 'resume;
            }
            match page.next {
                Next::Page(token) => request.page = Some(token),
                Next::Requery => continue 'resume,
                Next::Done => break 'resume,
            }
        }
    }
    (ids, queries)
}
