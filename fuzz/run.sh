#!/usr/bin/env bash
# Run every fuzz target for a bounded time (default 60 s each), seeded from testdata/ and the
# shared corpus. A crash is copied to fuzz/regressions/<target>/ so that
# tests/fuzz_regressions.rs replays it forever after. Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(yaml_tree yaml_fast_path json_tree hcl_reader hcl_fast_path terraform_eval pipeline)
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
# cargo-fuzz needs nightly features; the stable toolchain allows them with this switch.
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "regressions/$t"
  case "$t" in
    yaml_tree|yaml_fast_path|pipeline) exts="yaml yml json tf" ;;
    json_tree) exts="json" ;;
    hcl_reader|hcl_fast_path|terraform_eval) exts="tf" ;;
  esac
  for e in $exts; do
    # `head` closes the pipe early; under pipefail find's SIGPIPE would end the script.
    { find ../testdata ../../shared/corpus -name "*.$e" -size -64k 2>/dev/null || true; } |
      head -400 | while read -r f; do
      cp "$f" "$corpus/$(echo "$f" | md5sum | cut -c1-16)" 2>/dev/null || true
    done
  done
  echo "== fuzzing $t for ${secs}s"
  set +e
  mkdir -p logs
  cargo fuzz run "$t" "$corpus" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="regressions/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1
  status=$?
  set -e
  # the full log (stack trace of a crash included) stays in fuzz/logs/
  tail -25 "logs/$t.log"
  if [ "$status" -ne 0 ]; then
    echo "fuzz target $t failed: the crashing input is in fuzz/regressions/$t/" >&2
    exit "$status"
  fi
done
