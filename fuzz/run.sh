#!/usr/bin/env bash
# Runs every fuzz target of a VITALS_BUILD_FUZZERS=ON build for N seconds each (default:
# VITALS_FUZZ_SECONDS or 8), two at a time; exits non-zero if any target fails.
#   fuzz/run.sh [build dir (default build-fuzz)] [seconds]
# Long run, one target:  VITALS_FUZZ_SECONDS=600 ctest --test-dir build-fuzz -R fuzz_config -V
set -euo pipefail
dir=${1:-build-fuzz}
export VITALS_FUZZ_SECONDS=${2:-${VITALS_FUZZ_SECONDS:-8}}
ctest --test-dir "$dir" -L fuzz -j"$(nproc)" --output-on-failure
