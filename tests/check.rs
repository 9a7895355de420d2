//! Checker fixtures: every `tests/check/*.plan` is checked (with the example schema and crediting
//! rules from `tests/check/prelude/`, unless it starts with `// no-prelude`) and its diagnostics are
//! snapshotted next to its source. File names start with the code they exercise.

use crate::support::{check_sources, plan_sources, root};

#[test]
fn diagnostics() {
    insta::glob!("check/*.plan", |path| {
        let source = std::fs::read_to_string(path).expect("readable fixture");
        let name = format!("check/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default());
        let mut sources = vec![(name.clone(), source.clone())];
        if !source.starts_with("// no-prelude") {
            let prelude = root().join("tests/check/prelude");
            sources.extend(plan_sources(&prelude, &root().join("tests")));
        }
        let (rendered, diagnostics) = check_sources(sources);
        // The file name says which code the fixture is about: that code must be reported (fixtures
        // named `ok_…` or `…_is_quiet` expect no diagnostic of their code).
        let code = name.trim_start_matches("check/").split('_').next().unwrap_or_default().to_string();
        let quiet = name.ends_with("_is_quiet.plan") || name.starts_with("check/ok_");
        let reported = diagnostics.iter().any(|d| d.code.id == code);
        if quiet {
            assert!(!reported, "{name} must not report {code}");
        } else {
            assert!(reported, "{name} must report {code}:\n{rendered}");
        }
        insta::assert_snapshot!(format!("----- SOURCE\n{source}\n----- DIAGNOSTICS\n{rendered}"));
    });
}
