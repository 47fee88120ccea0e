//! The mapping editor's API on sandbox accounts: default mappings created from the
//! discovered schemas, validation problems one per row, a preview of real records for
//! one read call, and save / duplicate / delete round trips.

#![allow(clippy::unwrap_used)]

use serde_json::Value as Json;
use switchyard_engine::mapping::model::{FieldRule, MappingDraft};
use switchyard_engine::mapping::transform::Step;
use switchyard_engine::store::kinds::{ProviderId, SyncRule};
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

async fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    engine.connect_sandbox_accounts().await.unwrap();
    (engine, dir)
}

async fn api_calls(engine: &Engine, provider: ProviderId) -> u64 {
    let base = engine.sandbox_base_url(provider).await.unwrap();
    let stats: Json = reqwest::get(format!("{base}/__sandbox/stats"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            !r["route"].as_str().unwrap().contains("oauth")
                && !r["route"].as_str().unwrap().starts_with("/__sandbox")
        })
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

fn codes(
    problems: &[switchyard_engine::mapping::validate::Problem],
) -> Vec<(Option<u32>, String, Option<String>)> {
    problems
        .iter()
        .map(|p| (p.row, p.code.clone(), p.field.clone()))
        .collect()
}

#[tokio::test]
async fn default_mappings_validate_and_preview_real_records() {
    let (engine, _dir) = engine().await;
    let created = engine.create_default_mappings().await.unwrap();
    let names: Vec<&str> = created.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(created.len(), 5, "{names:?}");
    // Creating them again adds nothing.
    assert_eq!(engine.create_default_mappings().await.unwrap().len(), 5);

    for m in &created {
        let detail = engine.get_mapping(&m.id).await.unwrap();
        let problems = engine.validate_mapping(&detail.draft).await.unwrap();
        if detail.draft.target_object == "Opportunity" {
            assert_eq!(
                codes(&problems),
                [(None, "not_unique".to_owned(), Some("Name".to_owned()))],
                "{problems:?}"
            );
        } else {
            assert!(problems.is_empty(), "{}: {problems:?}", m.name);
        }
    }

    let leads = created
        .iter()
        .find(|m| m.source_object == "contacts")
        .unwrap();
    let draft = engine.get_mapping(&leads.id).await.unwrap().draft;
    assert_eq!(draft.direction.as_str(), "two_way");
    let targets: Vec<&str> = draft
        .fields
        .iter()
        .map(|f| f.target_field.as_str())
        .collect();
    assert_eq!(
        targets,
        [
            "FirstName",
            "LastName",
            "Email",
            "Phone",
            "Company",
            "Title",
            "Status"
        ]
    );

    let before = api_calls(&engine, ProviderId::Hubspot).await;
    let preview = engine.preview_mapping(&draft, 5).await.unwrap();
    assert_eq!(
        api_calls(&engine, ProviderId::Hubspot).await - before,
        1,
        "one read call"
    );
    assert_eq!(preview.records.len(), 5);
    assert!(preview.problems.is_empty());
    let statuses = [
        "Open - Not Contacted",
        "Working - Contacted",
        "Closed - Converted",
        "Closed - Not Converted",
    ];
    for r in &preview.records {
        let cell = |t: &str| r.cells.iter().find(|c| c.target_field == t).unwrap();
        assert!(
            cell("LastName").value.is_some() && cell("Company").value.is_some(),
            "required fields filled: {r:?}"
        );
        if let Some(email) = &cell("Email").value {
            assert!(
                email.contains('@') && *email == email.to_lowercase(),
                "{email}"
            );
        }
        if let Some(status) = &cell("Status").value {
            assert!(statuses.contains(&status.as_str()), "{status}");
        }
        assert!(r.cells.iter().all(|c| c.error.is_none()), "{r:?}");
    }
}

#[tokio::test]
async fn problems_are_one_per_row_and_field() {
    let (engine, _dir) = engine().await;
    let connections = engine.list_connections().await.unwrap();
    let id = |p: ProviderId| {
        connections
            .iter()
            .find(|c| c.provider == p)
            .unwrap()
            .id
            .clone()
    };
    let suggestion = engine
        .suggest_mapping(
            &id(ProviderId::Hubspot),
            "contacts",
            &id(ProviderId::Salesforce),
            "Lead",
        )
        .await
        .unwrap();
    assert!(
        suggestion.notes.iter().any(|n| n.contains("LeadSource")),
        "{:?}",
        suggestion.notes
    );
    let mut draft: MappingDraft = suggestion.draft;
    assert!(engine.validate_mapping(&draft).await.unwrap().is_empty());

    draft.fields.retain(|f| f.target_field != "LastName");
    draft.fields.push(FieldRule {
        source_field: None,
        target_field: "LeadSource".into(),
        transform: vec![Step::Constant {
            value: "Carrier pigeon".into(),
        }],
        sync_rule: SyncRule::AlwaysSource,
        reverse: Vec::new(),
    });
    draft
        .fields
        .push(FieldRule::copy("createdate", "CreatedDate"));
    draft.fields.push(FieldRule::copy("nope", "Description"));
    draft
        .fields
        .push(FieldRule::copy("createdate", "Industry").with(Step::Email));
    let problems = engine.validate_mapping(&draft).await.unwrap();
    let got = codes(&problems);
    assert!(
        got.contains(&(
            Some(6),
            "invalid_picklist_value".into(),
            Some("LeadSource".into())
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            Some(7),
            "read_only_field".into(),
            Some("CreatedDate".into())
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(Some(8), "unknown_field".into(), Some("nope".into()))),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(row, _, field)| *row == Some(9) && field.as_deref() == Some("Industry")),
        "{got:?}"
    );
    assert!(
        got.contains(&(None, "required_unmapped".into(), Some("LastName".into()))),
        "{got:?}"
    );
    assert!(problems.iter().all(|p| !p.message.is_empty()));

    // Fixed: LastName back with a default, the bad rows gone.
    draft.fields.truncate(6);
    draft
        .fields
        .push(FieldRule::copy("lastname", "LastName").with(Step::Default {
            value: "[not provided]".into(),
        }));
    assert!(engine.validate_mapping(&draft).await.unwrap().is_empty());

    // Save, read back exactly, duplicate, update, delete.
    let saved = engine.create_mapping(draft.clone()).await.unwrap();
    assert_eq!(saved.draft, draft);
    let copy = engine.duplicate_mapping(&saved.id).await.unwrap();
    assert_eq!(copy.draft.name, format!("{} (copy)", draft.name));
    let mut renamed = copy.draft.clone();
    renamed.name = "Leads (Zoë's copy)".into();
    renamed.fields.truncate(2);
    let updated = engine
        .update_mapping(&copy.id, renamed.clone())
        .await
        .unwrap();
    assert_eq!(updated.draft, renamed);
    engine.delete_mapping(&copy.id).await.unwrap();
    assert_eq!(
        engine
            .get_mapping(&copy.id)
            .await
            .unwrap_err()
            .code
            .as_str(),
        "not_found"
    );
    let dup = engine
        .create_mapping(MappingDraft {
            fields: vec![
                FieldRule::copy("email", "Email"),
                FieldRule::copy("firstname", "Email"),
            ],
            ..draft
        })
        .await
        .unwrap_err();
    assert_eq!(dup.code.as_str(), "validation");
}
