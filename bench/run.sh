#!/usr/bin/env bash
# The benchmark of record, in one run:
#  1. generates a synthetic monorepo (bench/gen.py: Terraform modules, Kubernetes bundles,
#     GitHub workflows) and scans it with --threads 1 and --threads 2;
#  2. scans ../shared/corpus with nhiaudit and with Checkov side by side;
#  3. times a pre-commit-sized run (5 files);
#  4. scans a quarter-sized synthetic monorepo, to show how peak memory grows with the input;
# printing wall time, CPU time, peak RSS, files/s, MB/s and the ratio to Checkov.
# Wall times are the best of three runs: on a shared machine, compare CPU times too (the load
# average is printed first).
# Usage: bench/run.sh [--small] [--no-checkov]
set -euo pipefail
cd "$(dirname "$0")/.."
small=0
checkov=1
for a in "$@"; do
  case "$a" in
    --small) small=1 ;;
    --no-checkov) checkov=0 ;;
  esac
done
cargo build --release -q
bin="$PWD/target/release/nhiaudit"
out="$PWD/target/bench"
mkdir -p "$out"

if [ "$small" -eq 1 ]; then sizes=(--tf 2000 --k8s 1000 --workflows 200); else sizes=(--tf 20000 --k8s 10000 --workflows 2000); fi
quarter=(--tf $((sizes[1] / 4)) --k8s $((sizes[3] / 4)) --workflows $((sizes[5] / 4)))
generate() { # dir sizes...
  local dir="$1"; shift
  local stamp="$dir/.generated-$(echo "$@" | tr ' ' '_')"
  if [ ! -f "$stamp" ]; then
    rm -rf "$dir"
    python3 bench/gen.py "$dir" "$@"
    touch "$stamp"
  fi
}
synth="$out/synthetic"
generate "$synth" "${sizes[@]}"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Two busy loops side by side take as long as one when two cores are free, twice as long when
# other work holds one of them: then 2-thread numbers say nothing about scaling.
python3 - <<'PY'
import time
from multiprocessing import Process
def spin():
    n = 0
    for _ in range(3_000_000):
        n += 1
def timed(k):
    ps = [Process(target=spin) for _ in range(k)]
    t = time.perf_counter()
    for p in ps: p.start()
    for p in ps: p.join()
    return time.perf_counter() - t
one, two = min(timed(1) for _ in range(3)), min(timed(2) for _ in range(3))
print(f"free cores now: two busy loops take {two / one:.2f}x one (1.0 = both cores free, 2.0 = one)")
PY

# measure CMD...: prints "wall user+sys rss_kib"
measure() {
  /usr/bin/time -f "%e %U %S %M" "$@" >/dev/null 2>"$out/time.txt" || true
  tail -1 "$out/time.txt" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}

report() { # name files bytes wall cpu rss
  python3 - "$@" <<'PY'
import sys
name, files, size, wall, cpu, rss = sys.argv[1:]
files, size, wall, cpu, rss = int(files), int(size), float(wall), float(cpu), int(rss)
w = max(wall, 0.001)
print(f"{name:<28} {wall:7.3f} s wall {cpu:7.2f} s cpu {rss/1024:8.1f} MiB  {files/w:10,.0f} files/s {size/1e6/w:8.1f} MB/s")
PY
}

counts() { # path -> "files bytes"
  "$bin" scan "$1" --format json -q --fail-on none | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["files_scanned"] + c["files_skipped"], c["bytes_scanned"])'
}

echo "== synthetic monorepo ($(find "$synth" -type f | wc -l) files)"
read -r sfiles sbytes <<<"$(counts "$synth")"
best1=""; best2=""
for i in 1 2 3; do
  r1=$(measure "$bin" scan "$synth" --format json -q --fail-on none --threads 1)
  r2=$(measure "$bin" scan "$synth" --format json -q --fail-on none --threads 2)
  [ -z "$best1" ] || [ "$(echo "$r1 $best1" | awk '{print ($1 < $4)}')" = 1 ] && best1="$r1"
  [ -z "$best2" ] || [ "$(echo "$r2 $best2" | awk '{print ($1 < $4)}')" = 1 ] && best2="$r2"
done
report "nhiaudit --threads 1" "$sfiles" "$sbytes" $best1
report "nhiaudit --threads 2" "$sfiles" "$sbytes" $best2
python3 -c "import sys; a=float(sys.argv[1]); b=float(sys.argv[2]); print(f'2-thread speed-up: {a/max(b,0.001):.2f}x')" "${best1%% *}" "${best2%% *}"

echo "== ../shared/corpus"
corpus=../shared/corpus
read -r cfiles cbytes <<<"$(counts "$corpus")"
rc=$(measure "$bin" scan "$corpus" --format json -q --fail-on none)
report "nhiaudit" "$cfiles" "$cbytes" $rc
if [ "$checkov" -eq 1 ]; then
  venv="$PWD/target/bench-checkov"
  if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check checkov
  fi
  # Offline: no Prisma Cloud API key, no version check, no downloads of external modules.
  export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
  rk=$(measure "$venv/bin/checkov" -d "$corpus" --quiet --compact --skip-download --download-external-modules false -o json --framework terraform kubernetes github_actions gitlab_ci)
  report "checkov" "$cfiles" "$cbytes" $rk
  python3 -c "import sys; print(f'nhiaudit is {float(sys.argv[2])/max(float(sys.argv[1]),0.001):.0f}x faster than checkov on the corpus (wall)')" "${rc%% *}" "${rk%% *}"
fi

echo "== pre-commit sized run (5 files)"
files=$(find testdata/demo -type f \( -name '*.tf' -o -name '*.json' \) | sort | head -5)
# /usr/bin/time counts in hundredths of a second: too coarse for a 20 ms target.
python3 - "$bin" $files <<'PY'
import subprocess, sys, time
runs = []
for _ in range(20):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "scan", *sys.argv[2:], "-q", "--fail-on", "none"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs.append(time.perf_counter() - t)
runs.sort()
print(f"5 files: {runs[0] * 1000:.1f} ms wall best of 20, median {runs[10] * 1000:.1f} ms")
PY

echo "== peak memory against input size (--threads 2)"
qsynth="$out/synthetic-quarter"
generate "$qsynth" "${quarter[@]}"
read -r qfiles qbytes <<<"$(counts "$qsynth")"
rq=$(measure "$bin" scan "$qsynth" --format json -q --fail-on none --threads 2)
report "quarter-sized synthetic" "$qfiles" "$qbytes" $rq
report "full-sized synthetic" "$sfiles" "$sbytes" $best2
