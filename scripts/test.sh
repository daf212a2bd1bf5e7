#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors and runs every
# test: the CTest suite but the unit tests (whole-binary, peer comparison, rules,
# dashboards, stack, packaging, deploy, docs, lint, benchmark smoke) in build/, the HTTP
# server and scraper race tests under ThreadSanitizer in build-tsan/, and in one clang
# build with AddressSanitizer + UndefinedBehaviorSanitizer (build-sanitize/) the unit
# tests (8 gtest shards, counted per test from their JUnit XML) and a short libFuzzer
# run of every fuzz target (VITALS_FUZZ_SECONDS per target, default 8). Ends with one
# line "N passed, N failed" over all runs.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test || exit 1

jobs=$(nproc)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

configure() {  # name, build dir, cmake options...
  local name=$1 dir=$2
  shift 2
  if ! cmake -S . -B "$dir" -DVITALS_WERROR=ON "$@" >"$logs/$name.cmake" 2>&1; then
    cat "$logs/$name.cmake"; echo "0 passed, 1 failed"; exit 1
  fi
}

build() {  # name, build dir, [command prefix, e.g. nice]; 1 when it fails (output shown)
  local name=$1 dir=$2
  shift 2
  echo "=== $name: build ($dir)"
  if ! "$@" cmake --build "$dir" -j"$jobs" >"$logs/$name.build" 2>&1; then
    echo "=== $name: build FAILED"; tail -n 80 "$logs/$name.build"; return 1
  fi
}

run_ctest() {  # name, build dir, ctest options...
  local name=$1 dir=$2
  shift 2
  echo "=== $name: ctest"
  rm -f "$dir/Testing/Temporary/LastTestsFailed.log"
  (cd "$dir" && ctest --output-on-failure -j"$jobs" "$@") | tee "$logs/$name.ctest"
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

# Prints "passed failed" over the tests of a CTest log whose names start with a prefix.
count_prefixed() {  # ctest log, name prefix
  local passed failed
  passed=$(grep -cE "Test +#[0-9]+: $2[^ ]* \.+ +Passed" "$1")
  failed=$(grep -E "Test +#[0-9]+: $2[^ ]* " "$1" | grep -cvE "\.+ +Passed")
  ((passed + failed > 0)) || failed=1
  echo "$passed $failed"
}

# Prints "passed failed" over the gtest shards of a build: each test in the shards' JUnit
# XML, plus one failure for each shard CTest saw fail without a failing test in its XML
# (a crash, or LeakSanitizer's report at exit).
junit_attribute() {  # xml file, attribute of its <testsuites> element
  grep -m1 -oE "<testsuites [^>]*" "$1" | grep -oE " $2=\"[0-9]+\"" | grep -oE '[0-9]+'
}

count_shards() {
  local dir=$1 ctest_log=$2 passed=0 failed=0 shard xml tests bad
  while read -r shard; do
    xml="$dir/unit-results/$shard.xml"
    if [[ -f $xml ]]; then
      tests=$(junit_attribute "$xml" tests)
      bad=$(($(junit_attribute "$xml" failures) + $(junit_attribute "$xml" errors)))
      passed=$((passed + tests - bad)); failed=$((failed + bad))
      if ((bad == 0)) && grep -qE "unit_$shard \.+\**(Failed|Exception|Timeout)" "$ctest_log"; then
        failed=$((failed + 1))
      fi
    else
      failed=$((failed + 1))
    fi
  done < <(grep -oE 'unit_shard_[0-9]+' "$ctest_log" | sed 's/^unit_//' | sort -u)
  ((passed + failed > 0)) || failed=1
  echo "$passed $failed"
}

# Prints the output of each test CTest saw fail in a build, so that the end of the log
# (often all a CI page shows) says what broke.
report_failures() {
  local name=$1 dir=$2 failed_list="$2/Testing/Temporary/LastTestsFailed.log" test
  [[ -s $failed_list ]] || return 0
  echo "=== $name: failed tests"
  while IFS=: read -r _ test; do
    echo "--- $test (last 40 lines of its output)"
    awk -v t="$test" '$0 ~ "Testing: "t"$" {on=1} on {print} on && $0 ~ "^\""t"\" end time" {on=0}' \
      "$dir/Testing/Temporary/LastTest.log" | tail -n 40
  done <"$failed_list"
}

# The unit tests run once, in the sanitized build: building and running them here too
# would add minutes and find nothing the sanitized run does not.
# -g1 (line tables) instead of -g: full debug information made the compiles ~40% longer
# and no test reads more than that (packaging_deb only checks that the package strips it).
# -O2 in both: gcc's warnings (errors here) differ by optimization level.
configure main build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITALS_BUILD_TESTS=ON \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DVITALS_UNIT_TESTS=OFF -DVITALS_BUILD_BENCH=ON -DVITALS_SANITIZE=OFF
configure tsan build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITALS_BUILD_TESTS=ON \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DVITALS_BUILD_BENCH=OFF -DVITALS_TSAN=ON
# One compile of the library for the unit tests and the fuzz targets: the fuzzers'
# instrumentation (ASan + UBSan + coverage, clang) serves the unit tests as well (a
# separate gcc ASan build of them cost CI about 15 minutes); -O1 -g1 with assertions on.
configure sanitize build-sanitize -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS_DEBUG=-O1 -g1" "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
  -DVITALS_BUILD_TESTS=ON -DVITALS_UNIT_TESTS=ON -DVITALS_BUILD_BENCH=OFF \
  -DVITALS_BUILD_FUZZERS=ON -DVITALS_UNIT_SHARDS=8
build main build || { echo "0 passed, 1 failed"; exit 1; }
# The sanitizer builds compile at the lowest priority while the main suite runs: most of
# its time is spent waiting (Prometheus, Alertmanager, containers, timeouts), and its
# tests keep the CPU whenever they want it.
(build tsan build-tsan nice -n 19 >"$logs/tsan.status" 2>&1; echo $? >>"$logs/tsan.status"
 build sanitize build-sanitize nice -n 19 >"$logs/sanitize.status" 2>&1
 echo $? >>"$logs/sanitize.status") &
background_builds=$!
run_ctest main build
wait "$background_builds"
export VITALS_FUZZ_SECONDS=${VITALS_FUZZ_SECONDS:-8}
rm -rf build-sanitize/unit-results
for stage in tsan sanitize; do
  head -n -1 "$logs/$stage.status"
  touch "$logs/$stage.ctest"
  if [[ $(tail -n 1 "$logs/$stage.status") == 0 ]]; then
    case $stage in
      tsan) run_ctest tsan build-tsan -L tsan ;;
      sanitize) run_ctest sanitize build-sanitize -L "unit|fuzz" ;;
    esac
  fi
done

read -r main_passed main_failed < <(count "$logs/main.ctest")
read -r tsan_passed tsan_failed < <(count "$logs/tsan.ctest")
read -r asan_passed asan_failed < <(count_shards build-sanitize "$logs/sanitize.ctest")
read -r fuzz_passed fuzz_failed < <(count_prefixed "$logs/sanitize.ctest" fuzz_)
report_failures main build
report_failures tsan build-tsan
report_failures sanitize build-sanitize
passed=$((main_passed + asan_passed + tsan_passed + fuzz_passed))
failed=$((main_failed + asan_failed + tsan_failed + fuzz_failed))
echo "main suite: $main_passed passed, $main_failed failed; ASan+UBSan unit suite: $asan_passed passed, $asan_failed failed"
echo "TSan race suite: $tsan_passed passed, $tsan_failed failed; fuzz suite (${VITALS_FUZZ_SECONDS}s per target): $fuzz_passed passed, $fuzz_failed failed"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
