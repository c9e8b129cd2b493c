//! `fixtures/caseload.schema.json` is generated from the Rust types; this test regenerates it and
//! fails on any difference. `FAIRPANEL_UPDATE_SCHEMA=1 cargo test --test schema` rewrites it.

use std::path::Path;

#[test]
fn committed_schema_matches_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/caseload.schema.json");
    let fresh = fairpanel::io::caseload::json_schema();
    if std::env::var_os("FAIRPANEL_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "fixtures/caseload.schema.json is out of date with src/domain/caseload/model.rs; run FAIRPANEL_UPDATE_SCHEMA=1 cargo test --test schema and commit it"
    );
}

#[test]
fn schema_names_the_format_rules_that_matter() {
    let s: serde_json::Value =
        serde_json::from_str(&fairpanel::io::caseload::json_schema()).unwrap();
    let defs = &s["$defs"];
    // Unknown fields are refused everywhere (a misspelt `ehcp` must not mean "no plan").
    assert_eq!(
        defs["Pupil"]["additionalProperties"],
        serde_json::Value::Bool(false)
    );
    assert_eq!(defs["Date"]["format"], "date");
    let sen: Vec<&str> = defs["Sen"]["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(sen, ["none", "sen_support", "ehcp"]);
    assert!(
        defs["Case"]["properties"]["ref"].is_object(),
        "the reference is spelt `ref` as in domain.md §6"
    );
    let required: Vec<&str> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(
        required,
        ["format", "panel", "calendar", "schools", "cases"]
    );
}
