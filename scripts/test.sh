#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors and runs every
# test: the CTest suite but the unit tests (whole-binary, peer comparison, rules,
# dashboards, stack, packaging, docs, lint, benchmark smoke) in build/, the unit tests
# under AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/, the HTTP server and scraper race tests under ThreadSanitizer in
# build-tsan/, and a short libFuzzer run of every fuzz target (clang, build-fuzz/;
# VITALS_FUZZ_SECONDS per target, default 8). Ends with one line "N passed, N failed"
# over all runs.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test || exit 1

jobs=$(nproc)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run_suite() {  # name, build dir, cmake options..., then "--", ctest options...
  local name=$1 dir=$2
  shift 2
  local cmake_args=() ctest_args=()
  while [[ $# -gt 0 && $1 != "--" ]]; do cmake_args+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  ctest_args=("$@")
  echo "=== $name: configure and build ($dir)"
  if ! cmake -S . -B "$dir" -DVITALS_WERROR=ON "${cmake_args[@]}" >"$logs/$name.cmake" 2>&1; then
    cat "$logs/$name.cmake"; echo "0 passed, 1 failed"; exit 1
  fi
  if ! cmake --build "$dir" -j"$jobs" >"$logs/$name.build" 2>&1; then
    tail -n 80 "$logs/$name.build"; echo "0 passed, 1 failed"; exit 1
  fi
  echo "=== $name: ctest"
  (cd "$dir" && ctest --output-on-failure -j"$jobs" "${ctest_args[@]}") | tee "$logs/$name.ctest"
}

# Prints "passed failed" from ctest's "NN% tests passed, F tests failed out of T".
count() {
  local line total failed
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1)
  [[ -n "$line" ]] || { echo "0 1"; return; }
  failed=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  echo "$((total - failed)) $failed"
}

# The unit tests run once, in the ASan+UBSan build: building and running them here
# too would add minutes and find nothing the sanitized run does not.
run_suite main build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITALS_BUILD_TESTS=ON \
  -DVITALS_UNIT_TESTS=OFF -DVITALS_BUILD_BENCH=ON -DVITALS_SANITIZE=OFF
run_suite asan build-asan -DCMAKE_BUILD_TYPE=Debug -DVITALS_BUILD_TESTS=ON \
  -DVITALS_BUILD_BENCH=OFF -DVITALS_SANITIZE=ON -- -L unit
run_suite tsan build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITALS_BUILD_TESTS=ON \
  -DVITALS_BUILD_BENCH=OFF -DVITALS_TSAN=ON -- -L tsan
export VITALS_FUZZ_SECONDS=${VITALS_FUZZ_SECONDS:-8}
run_suite fuzz build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVITALS_BUILD_TESTS=OFF -DVITALS_BUILD_BENCH=OFF -DVITALS_BUILD_FUZZERS=ON -- -L fuzz

read -r main_passed main_failed < <(count "$logs/main.ctest")
read -r asan_passed asan_failed < <(count "$logs/asan.ctest")
read -r tsan_passed tsan_failed < <(count "$logs/tsan.ctest")
read -r fuzz_passed fuzz_failed < <(count "$logs/fuzz.ctest")
passed=$((main_passed + asan_passed + tsan_passed + fuzz_passed))
failed=$((main_failed + asan_failed + tsan_failed + fuzz_failed))
echo "main suite: $main_passed passed, $main_failed failed; ASan+UBSan unit suite: $asan_passed passed, $asan_failed failed"
echo "TSan race suite: $tsan_passed passed, $tsan_failed failed; fuzz suite (${VITALS_FUZZ_SECONDS}s per target): $fuzz_passed passed, $fuzz_failed failed"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
