//! A whole Terraform module (one file) through parsing, evaluation, extraction and rules.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = nhiaudit::scan_bytes("main.tf", data);
});
