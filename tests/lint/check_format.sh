#!/usr/bin/env bash
# Fails when clang-format (.clang-format: Google style) would change a C++ source.
set -euo pipefail
cd "$1"
mapfile -t files < <(find exporter tests bench fuzz -name '*.cc' -o -name '*.h' | sort)
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
