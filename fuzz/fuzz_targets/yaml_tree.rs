//! The YAML located-tree builder on arbitrary text: errors are fine, panics and hangs are not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nhiaudit::parse::yaml::{Budget, parse_stream};
use nhiaudit::source::FileId;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let budget = Budget { max_nodes: 200_000, max_documents: 1_000, max_depth: 200 };
        let _ = parse_stream(text, FileId(0), 0, budget);
    }
});
