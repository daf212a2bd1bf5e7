#!/usr/bin/env bash
# Installs what is missing, builds build/vitals_exporter and runs it with its built-in
# defaults on :10100. Extra arguments go to the exporter (e.g. --config.file=...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
if [[ -f build/CMakeCache.txt ]]; then
  # Configured before (by an earlier run, or by scripts/test.sh, RelWithDebInfo with the
  # tests): keep that configuration, so that only what changed is compiled again.
  cmake -S . -B build >/dev/null
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVITALS_BUILD_TESTS=OFF -DVITALS_BUILD_BENCH=OFF
fi
cmake --build build -j"$(nproc)" --target vitals_exporter
exec build/vitals_exporter "$@"
