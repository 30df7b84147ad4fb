//! The whole per-file pipeline on arbitrary bytes, with a kind guessed from the first byte.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "main.tf",
    "main.tf.json",
    "policy.json",
    "manifest.yaml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "action.yml",
    "templates/deployment.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let name = NAMES[usize::from(*first) % NAMES.len()];
    let _ = nhiaudit::scan_bytes(name, rest);
});
