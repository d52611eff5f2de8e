//! The same binary builds a generated site of hundreds of packs cleanly: no errors, every
//! pack in status.json, every pack's pages written.

#[allow(dead_code)]
#[path = "../../examples/gen_site.rs"]
mod gen;

use std::process::Command;

#[test]
fn a_generated_site_of_hundreds_of_packs_builds_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let packs = 250;
    gen::generate(dir.path(), packs, 7).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args(["--root"])
        .arg(dir.path())
        .args(["--today", "2026-11-26", "build"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.lines().any(|l| l.starts_with("error")), "{stderr}");
    let summary = stderr.lines().last().unwrap_or("");
    assert!(
        summary.starts_with(&format!("built {packs} packs,")),
        "{summary}"
    );
    assert!(summary.contains("(0 errors,"), "{summary}");

    let public = dir.path().join("public");
    let status: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("status.json")).unwrap())
            .unwrap();
    let listed = status["packs"].as_array().unwrap();
    assert_eq!(listed.len(), packs);
    for p in listed {
        let slug = p["slug"].as_str().unwrap();
        assert_eq!(p["sections"].as_array().map(Vec::len), Some(9), "{slug}");
        for page in ["", "runbook/", "checklist/", "incident/"] {
            assert!(
                public.join(slug).join(page).join("index.html").is_file(),
                "{slug}/{page}"
            );
        }
    }
}
