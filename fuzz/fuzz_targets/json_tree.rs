//! Strict JSON into the located tree, and IAM / Kubernetes extraction from whatever parses.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nhiaudit::parse::yaml::{Budget, parse_json};
use nhiaudit::source::FileId;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(root) = parse_json(text, FileId(0), 0, Budget::default()) {
            let mut facts = nhiaudit::model::Facts::default();
            nhiaudit::inputs::iam_json::extract(&root, "fuzz.json", &mut facts);
            nhiaudit::inputs::kubernetes::extract(std::slice::from_ref(&root), &mut facts);
        }
    }
});
