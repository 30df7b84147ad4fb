//! The fast YAML reader against the full parser: wherever the fast reader takes a text, the
//! full parser must accept it too and build the same trees, spans included.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nhiaudit::parse::doc::Node;
use nhiaudit::parse::yaml::{Budget, parse_events, parse_fast};
use nhiaudit::source::FileId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let budget = Budget { max_nodes: 200_000, max_documents: 1_000, max_depth: 200 };
    let Some(fast) = parse_fast(text, FileId(0), 0, budget) else { return };
    let full = match parse_events(text, FileId(0), 0, budget) {
        Ok(full) => full,
        Err(e) => panic!("the fast reader took a text the full parser refuses ({e}):\n{text:?}"),
    };
    let f: Vec<&Node> = fast.iter().map(|d| &d.root).collect();
    let g: Vec<&Node> = full.iter().map(|d| &d.root).collect();
    assert_eq!(f, g, "trees differ for {text:?}");
});
