//! Reads every contact the way the HubSpot connector does: search sorted by
//! `lastmodifieddate`, each page anchored on the last page's newest time (`GTE`, the ids
//! already read at that millisecond dropped), and a millisecond shared by a whole page
//! read by `hs_object_id` instead.

use serde_json::{json, Value};
use std::collections::HashSet;

/// A contact as the Salesforce side needs it.
#[derive(Debug, Clone)]
pub struct Person {
    pub first: Option<String>,
    pub last: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: String,
    pub title: Option<String>,
}

pub struct Client<'a> {
    http: &'a reqwest::Client,
    url: String,
    token: String,
}

const PAGE: usize = 200;
const PROPS: [&str; 6] = [
    "firstname",
    "lastname",
    "email",
    "phone",
    "company",
    "jobtitle",
];

fn ms(record: &Value) -> i64 {
    record["properties"]["lastmodifieddate"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map_or(0, |d| d.timestamp_millis())
}

fn text(record: &Value, name: &str) -> Option<String> {
    record["properties"][name].as_str().map(str::to_owned)
}

impl<'a> Client<'a> {
    pub fn new(http: &'a reqwest::Client, info: &Value) -> Self {
        let hs = &info["hubspot"];
        Self {
            http,
            url: format!(
                "{}/crm/v3/objects/contacts/search",
                hs["base"].as_str().unwrap_or_default()
            ),
            token: hs["token"]["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    async fn search(&self, filters: Value, sort: &str) -> Vec<Value> {
        let body = json!({
            "filterGroups": [{ "filters": filters }],
            "sorts": [{ "propertyName": sort, "direction": "ASCENDING" }],
            "properties": PROPS,
            "limit": PAGE,
        });
        let r = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "search: {}", r.status());
        let mut page: Value = r.json().await.unwrap();
        match page["results"].take() {
            Value::Array(a) => a,
            _ => Vec::new(),
        }
    }

    /// Every live contact into `out`; returns (records served, requests).
    pub async fn read_all(&self, out: &mut Vec<Person>) -> (u64, u64) {
        let (mut served, mut requests) = (0u64, 0u64);
        let mut seen: HashSet<String> = HashSet::new();
        let mut keep = |r: &Value, out: &mut Vec<Person>| {
            let id = r["id"].as_str().unwrap_or_default().to_owned();
            if seen.insert(id) {
                out.push(Person {
                    first: text(r, "firstname"),
                    last: text(r, "lastname").unwrap_or_else(|| "Unknown".into()),
                    email: text(r, "email"),
                    phone: text(r, "phone"),
                    company: text(r, "company").unwrap_or_else(|| "Unknown".into()),
                    title: text(r, "jobtitle"),
                });
            }
        };
        let mut filter =
            json!({ "propertyName": "lastmodifieddate", "operator": "GTE", "value": "0" });
        loop {
            let page = self.search(json!([filter]), "lastmodifieddate").await;
            requests += 1;
            served += page.len() as u64;
            page.iter().for_each(|r| keep(r, out));
            if page.len() < PAGE {
                return (served, requests);
            }
            let (first, last) = (ms(&page[0]), ms(&page[page.len() - 1]));
            if first == last {
                // A whole page at one millisecond: read it by id, then go on after it.
                let mut after = "0".to_owned();
                loop {
                    let tie = self
                        .search(
                            json!([
                                { "propertyName": "lastmodifieddate", "operator": "EQ", "value": last.to_string() },
                                { "propertyName": "hs_object_id", "operator": "GT", "value": after },
                            ]),
                            "hs_object_id",
                        )
                        .await;
                    requests += 1;
                    served += tie.len() as u64;
                    tie.iter().for_each(|r| keep(r, out));
                    match tie.last() {
                        Some(r) if tie.len() == PAGE => {
                            after = r["id"].as_str().unwrap_or("0").to_owned()
                        }
                        _ => break,
                    }
                }
                filter = json!({ "propertyName": "lastmodifieddate", "operator": "GT", "value": last.to_string() });
            } else {
                filter = json!({ "propertyName": "lastmodifieddate", "operator": "GTE", "value": last.to_string() });
            }
        }
    }
}
