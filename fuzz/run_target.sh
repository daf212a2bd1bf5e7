#!/usr/bin/env bash
# Runs one libFuzzer target for VITALS_FUZZ_SECONDS (default 8) over a scratch copy of
# its checked-in corpus, so new inputs never land in the source tree. Fails on any
# crash, sanitizer report, leak, timeout (10 s per input) or RSS above 2 GiB.
#   run_target.sh <fuzzer binary> <corpus dir> <artifact dir>
# A failing input is kept as <artifact dir>/<target>-crash-<sha1> (or leak-, timeout-,
# oom-); reproduce it with "<fuzzer binary> <that file>".
set -euo pipefail
binary=$1 corpus=$2 artifacts=$3
seconds=${VITALS_FUZZ_SECONDS:-8}
name=$(basename "$binary")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/corpus"
cp -R "$corpus/." "$scratch/corpus/"
mkdir -p "$artifacts"

# -max_total_time bounds the fuzzing; `timeout` also bounds the initial corpus pass.
status=0
timeout --kill-after=10 $((seconds + 120)) "$binary" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$scratch/corpus" \
  >"$scratch/log" 2>&1 || status=$?
# Progress lines are noise; keep the start, the findings and the final stats.
grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$scratch/log" || true
echo "$name: exit status $status after ${seconds}s"
exit "$status"
