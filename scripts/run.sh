#!/usr/bin/env bash
# Installs what is missing, builds build/vitals_exporter and runs it with its built-in
# defaults on :10100. Extra arguments go to the exporter (e.g. --config.file=...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVITALS_BUILD_TESTS=OFF -DVITALS_BUILD_BENCH=OFF
cmake --build build -j"$(nproc)" --target vitals_exporter
exec build/vitals_exporter "$@"
