use super::*;
use crate::mapping::transform::Otherwise;
use std::collections::BTreeMap;

fn map_of(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// HubSpot `hs_lead_status` → Salesforce Lead `Status`.
fn hubspot_to_salesforce(otherwise: Otherwise) -> Step {
    Step::MapValues {
        map: map_of(&[
            ("NEW", "Open - Not Contacted"),
            ("OPEN", "Open - Not Contacted"),
            ("ATTEMPTED_TO_CONTACT", "Working - Contacted"),
            ("CONNECTED", "Working - Contacted"),
            ("IN_PROGRESS", "Working - Contacted"),
            ("OPEN_DEAL", "Closed - Converted"),
            ("UNQUALIFIED", "Closed - Not Converted"),
            ("BAD_TIMING", "Closed - Not Converted"),
        ]),
        otherwise,
    }
}

/// Salesforce Lead `Status` → HubSpot `hs_lead_status`.
fn salesforce_to_hubspot(otherwise: Otherwise) -> Step {
    Step::MapValues {
        map: map_of(&[
            ("Open - Not Contacted", "NEW"),
            ("Working - Contacted", "IN_PROGRESS"),
            ("Closed - Converted", "OPEN_DEAL"),
            ("Closed - Not Converted", "UNQUALIFIED"),
        ]),
        otherwise,
    }
}

#[test]
fn hubspot_lead_status_to_salesforce() {
    let step = || hubspot_to_salesforce(Otherwise::Error);
    assert_eq!(ok(step(), text("NEW")), text("Open - Not Contacted"));
    assert_eq!(ok(step(), text("IN_PROGRESS")), text("Working - Contacted"));
    assert_eq!(
        ok(step(), text(" UNQUALIFIED ")),
        text("Closed - Not Converted")
    );
    assert_eq!(ok(step(), text("OPEN_DEAL")), text("Closed - Converted"));
}

#[test]
fn salesforce_lead_status_to_hubspot() {
    let step = || salesforce_to_hubspot(Otherwise::Error);
    assert_eq!(ok(step(), text("Open - Not Contacted")), text("NEW"));
    assert_eq!(ok(step(), text("Working - Contacted")), text("IN_PROGRESS"));
    assert_eq!(ok(step(), text("Closed - Converted")), text("OPEN_DEAL"));
    assert_eq!(
        ok(step(), text("Closed - Not Converted")),
        text("UNQUALIFIED")
    );
}

#[test]
fn statuses_that_map_one_to_one_survive_the_round_trip() {
    for status in ["NEW", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED"] {
        let back = run(
            &[
                hubspot_to_salesforce(Otherwise::Error),
                salesforce_to_hubspot(Otherwise::Error),
            ],
            text(status),
        )
        .unwrap();
        assert_eq!(back, text(status));
    }
    // Many-to-one statuses come back as the status the reverse map chose.
    let back = run(
        &[
            hubspot_to_salesforce(Otherwise::Error),
            salesforce_to_hubspot(Otherwise::Error),
        ],
        text("CONNECTED"),
    )
    .unwrap();
    assert_eq!(back, text("IN_PROGRESS"));
}

#[test]
fn matching_is_exact_and_case_sensitive() {
    let e = run(&[hubspot_to_salesforce(Otherwise::Error)], text("new")).unwrap_err();
    assert_eq!((e.step, e.code), (0, "unmapped_value"));
    assert_eq!(
        e.message,
        "\"new\" has no entry in the value map (it lists \"ATTEMPTED_TO_CONTACT\", \"BAD_TIMING\", \"CONNECTED\", \"IN_PROGRESS\", \"NEW\", and 3 more)"
    );
    assert_eq!(
        err_code(
            salesforce_to_hubspot(Otherwise::Error),
            text("Open – Not Contacted")
        ),
        "unmapped_value"
    );
}

#[test]
fn otherwise_keep_blank_and_error() {
    assert_eq!(
        ok(hubspot_to_salesforce(Otherwise::Keep), text("  CUSTOM ")),
        text("CUSTOM")
    );
    assert_eq!(
        ok(hubspot_to_salesforce(Otherwise::Blank), text("CUSTOM")),
        Value::Null
    );
    assert_eq!(
        err_code(hubspot_to_salesforce(Otherwise::Error), text("CUSTOM")),
        "unmapped_value"
    );
}

#[test]
fn blank_values_are_null_whatever_otherwise_says() {
    for otherwise in [Otherwise::Keep, Otherwise::Blank, Otherwise::Error] {
        assert_eq!(
            ok(hubspot_to_salesforce(otherwise), Value::Null),
            Value::Null
        );
        assert_eq!(
            ok(hubspot_to_salesforce(otherwise), text("   ")),
            Value::Null
        );
    }
}

#[test]
fn non_ascii_keys_and_other_kinds_are_looked_up_by_display_form() {
    let step = || Step::MapValues {
        map: map_of(&[
            ("Größe ✓", "size"),
            ("true", "Ja"),
            ("1.5", "one and a half"),
            ("نعم", "yes"),
        ]),
        otherwise: Otherwise::Error,
    };
    assert_eq!(ok(step(), text("Größe ✓")), text("size"));
    assert_eq!(ok(step(), Value::Bool(true)), text("Ja"));
    assert_eq!(ok(step(), num("1.50")), text("one and a half"));
    assert_eq!(ok(step(), text("نعم")), text("yes"));
}
