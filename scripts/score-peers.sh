#!/usr/bin/env bash
# Score nhiaudit against the labelled peer fixtures of ../shared/corpus (KICS lines within
# +/-2, Checkov resources), twice: counting every finding, and counting only the rule(s) that
# own each peer query ("same concern", scripts/peer-rule-map.json).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release -q --manifest-path "$repo/Cargo.toml"
bin="$repo/target/release/nhiaudit"
cd "$repo/../shared/corpus"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$bin" scan kics --format sarif -o "$out/kics.sarif" --fail-on none
"$bin" scan checkov --format sarif -o "$out/checkov.sarif" --fail-on none
for mode in all same; do
  echo "== KICS, --rules $mode"
  ../tools/score-fixtures --sarif "$out/kics.sarif" --root . --suite kics --rules "$mode" --rule-map "$repo/scripts/peer-rule-map.json" | tail -4
  echo "== Checkov, --rules $mode"
  ../tools/score-fixtures --sarif "$out/checkov.sarif" --root . --suite checkov --rules "$mode" --rule-map "$repo/scripts/peer-rule-map.json" | tail -4
done
