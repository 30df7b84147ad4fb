#!/usr/bin/env bash
# Scan the public corpus (../shared/corpus) with the release binary and print wall time,
# files/s, MB/s and peak memory. Usage: bench/corpus.sh [RUNS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
threads="${2:-}"
corpus="${CORPUS:-../shared/corpus}"
cargo build --release -q
bin="$PWD/target/release/nhiaudit"
targs=()
[ -n "$threads" ] && targs=(--threads "$threads")

counts=$("$bin" scan "$corpus" --format json "${targs[@]}" -q | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["files_scanned"], c["bytes_scanned"], c["findings"])') || true
read -r files bytes findings <<<"$counts"

best=""
peak=0
for _ in $(seq "$runs"); do
  # GNU time -f: elapsed seconds and max RSS in KiB
  t=$( { /usr/bin/time -f "%e %M" "$bin" scan "$corpus" --format json "${targs[@]}" -q >/dev/null; } 2>&1 | tail -1 ) || true
  wall=${t% *}
  rss=${t#* }
  if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; fi
  [ "$rss" -gt "$peak" ] && peak=$rss
done
python3 - "$files" "$bytes" "$findings" "$best" "$peak" "$corpus" "${threads:-all}" <<'PY'
import sys
files, size, findings, wall, peak, corpus, threads = sys.argv[1:]
files, size, findings, wall, peak = int(files), int(size), int(findings), float(wall), int(peak)
w = max(wall, 0.001)
print(f"corpus        {corpus}  (threads: {threads})")
print(f"files scanned {files}  ({size/1e6:.2f} MB), findings {findings}")
print(f"wall (best)   {wall:.3f} s")
print(f"throughput    {files/w:,.0f} files/s, {size/1e6/w:.1f} MB/s")
print(f"peak RSS      {peak/1024:.1f} MiB")
PY
