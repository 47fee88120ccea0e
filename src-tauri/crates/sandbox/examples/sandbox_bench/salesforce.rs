//! The Salesforce side of the run: Email `IN` look-ups and Lead creates in collections of
//! 200 (what B4's engine sends), then every Lead read back by SOQL in pages of 2000,
//! updated by id in collections of 200 and upserted by the `Email` idLookup field.

use super::hubspot::Person;
use serde_json::{json, Value};

const BATCH: usize = 200;
const VERSION: &str = "v66.0";

pub struct Client<'a> {
    http: &'a reqwest::Client,
    base: String,
    token: String,
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl<'a> Client<'a> {
    pub fn new(http: &'a reqwest::Client, info: &Value) -> Self {
        let sf = &info["salesforce"];
        let base = sf["token"]["instance_url"]
            .as_str()
            .or(sf["base"].as_str())
            .unwrap_or_default();
        Self {
            http,
            base: base.to_owned(),
            token: sf["token"]["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/services/data/{VERSION}{path}", self.base)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (reqwest::StatusCode, Value) {
        let r = request.bearer_auth(&self.token).send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// `SELECT Id, Email FROM Lead WHERE Email IN (…200…)` for every contact with an email.
    pub async fn lookups(&self, people: &[Person]) -> (u64, u64) {
        let emails: Vec<&str> = people.iter().filter_map(|p| p.email.as_deref()).collect();
        let (mut records, mut requests) = (0, 0);
        for chunk in emails.chunks(BATCH) {
            let list: Vec<String> = chunk.iter().map(|e| quoted(e)).collect();
            let q = format!(
                "SELECT Id, Email FROM Lead WHERE Email IN ({})",
                list.join(",")
            );
            let (status, body) = self
                .send(self.http.get(self.url("/query")).query(&[("q", q)]))
                .await;
            assert!(status.is_success(), "look-up: {status} {body}");
            records += chunk.len() as u64;
            requests += 1;
        }
        (records, requests)
    }

    /// Every contact as a new Lead, 200 per `POST /composite/sobjects`.
    pub async fn create(&self, people: &[Person]) -> (u64, u64) {
        let (mut records, mut requests, mut failed) = (0, 0, 0);
        for chunk in people.chunks(BATCH) {
            let leads: Vec<Value> = chunk
                .iter()
                .map(|p| json!({ "attributes": { "type": "Lead" }, "FirstName": p.first, "LastName": p.last, "Email": p.email, "Phone": p.phone, "Company": p.company, "Title": p.title }))
                .collect();
            let body = json!({ "allOrNone": false, "records": leads });
            let (status, answer) = self
                .send(self.http.post(self.url("/composite/sobjects")).json(&body))
                .await;
            assert!(status.is_success(), "create: {status} {answer}");
            failed += answer
                .as_array()
                .map_or(0, |a| a.iter().filter(|r| r["success"] != true).count());
            records += chunk.len() as u64;
            requests += 1;
        }
        if failed > 0 {
            println!("  ({failed} Lead creates failed)");
        }
        (records, requests)
    }

    /// Every Lead by SOQL in SystemModstamp order, following `nextRecordsUrl`.
    pub async fn query_all(&self, ids: &mut Vec<String>) -> (u64, u64) {
        let q = "SELECT Id, FirstName, LastName, Email, Company, SystemModstamp FROM Lead ORDER BY SystemModstamp";
        let mut request = self.http.get(self.url("/query")).query(&[("q", q)]);
        let mut requests = 0;
        loop {
            let (status, body) = self
                .send(request.header("Sforce-Query-Options", "batchSize=2000"))
                .await;
            assert!(status.is_success(), "query: {status} {body}");
            requests += 1;
            for r in body["records"].as_array().into_iter().flatten() {
                ids.push(r["Id"].as_str().unwrap_or_default().to_owned());
            }
            match body["nextRecordsUrl"].as_str() {
                Some(next) if body["done"] == false => {
                    request = self.http.get(format!("{}{next}", self.base))
                }
                _ => return (ids.len() as u64, requests),
            }
        }
    }

    /// Every Lead updated by id through `PATCH /composite/sobjects`, 200 at a time.
    pub async fn update(&self, ids: &[String]) -> (u64, u64) {
        let (mut records, mut requests, mut failed) = (0, 0, 0);
        for chunk in ids.chunks(BATCH) {
            let leads: Vec<Value> = chunk
                .iter()
                .map(
                    |id| json!({ "attributes": { "type": "Lead" }, "Id": id, "LeadSource": "Web" }),
                )
                .collect();
            let body = json!({ "allOrNone": false, "records": leads });
            let (status, answer) = self
                .send(self.http.patch(self.url("/composite/sobjects")).json(&body))
                .await;
            assert!(status.is_success(), "update: {status} {answer}");
            failed += answer
                .as_array()
                .map_or(0, |a| a.iter().filter(|r| r["success"] != true).count());
            records += chunk.len() as u64;
            requests += 1;
        }
        if failed > 0 {
            println!("  ({failed} Lead updates failed)");
        }
        (records, requests)
    }

    /// Every Lead with an email updated through `PATCH /composite/sobjects/Lead/Email`.
    pub async fn upsert(&self, people: &[Person]) -> (u64, u64) {
        let emails: Vec<&str> = people.iter().filter_map(|p| p.email.as_deref()).collect();
        let (mut records, mut requests, mut created) = (0, 0, 0);
        for chunk in emails.chunks(BATCH) {
            let leads: Vec<Value> = chunk
                .iter()
                .map(|e| json!({ "attributes": { "type": "Lead" }, "Email": e, "Title": "Synced" }))
                .collect();
            let body = json!({ "allOrNone": false, "records": leads });
            let (status, answer) = self
                .send(
                    self.http
                        .patch(self.url("/composite/sobjects/Lead/Email"))
                        .json(&body),
                )
                .await;
            if !status.is_success() {
                println!("  (upsert by Lead.Email refused: {status} {answer})");
                return (0, requests + 1);
            }
            created += answer
                .as_array()
                .map_or(0, |a| a.iter().filter(|r| r["created"] == true).count());
            records += chunk.len() as u64;
            requests += 1;
        }
        if created > 0 {
            println!("  ({created} upserts created a Lead instead of updating one)");
        }
        (records, requests)
    }
}
