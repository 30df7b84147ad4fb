#!/usr/bin/env bash
# The scan step of action.yml, kept in a file so that it can be tested with the variables
# GitHub sets (INPUT_*, GITHUB_OUTPUT). Writes SARIF, prints the chosen format, sets the
# outputs, and exits with the scan's status once the SARIF is safe on disk.
set -uo pipefail

bin="${NHIAUDIT_BIN:-nhiaudit}"
sarif="${INPUT_SARIF_FILE:-nhiaudit.sarif}"
fail_on="${INPUT_FAIL_ON:-high}"
format="${INPUT_FORMAT:-github}"
read -r -a paths <<<"${INPUT_PATHS:-.}"

common=()
[ -n "${INPUT_CONFIG:-}" ] && common+=(--config "${INPUT_CONFIG}")
[ -n "${INPUT_BASELINE:-}" ] && common+=(--baseline "${INPUT_BASELINE}")

# SARIF first, never failing on findings: it is uploaded even when the step fails.
"$bin" scan "${paths[@]}" "${common[@]}" --format sarif --output "$sarif" --fail-on none
status=$?
if [ "$status" -ne 0 ]; then
  echo "nhiaudit could not scan (exit $status)" >&2
  exit "$status"
fi
findings=$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))["runs"][0]["results"] if not r.get("suppressions")))' "$sarif" 2>/dev/null || echo 0)
{
  echo "sarif-file=$sarif"
  echo "findings=$findings"
} >> "${GITHUB_OUTPUT:-/dev/null}"

"$bin" scan "${paths[@]}" "${common[@]}" --format "$format" --fail-on "$fail_on"
