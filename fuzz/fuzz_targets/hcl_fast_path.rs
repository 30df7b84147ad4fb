//! The fast HCL reader against hcl-edit: wherever the fast reader takes a text, hcl-edit must
//! accept it too and its converted tree must be the same, spans included.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nhiaudit::parse::hcl::{fast, parse_body_full};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(ours) = fast::parse_body(text) else { return };
    match parse_body_full(text) {
        Ok(full) => assert_eq!(ours, full, "trees differ for {text:?}"),
        Err(e) => panic!("the fast reader took a text hcl-edit refuses ({e:?}):\n{text:?}"),
    }
});
