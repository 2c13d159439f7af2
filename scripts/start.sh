#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and starts kura on the
# embedded default (data in ./kura-data, http://127.0.0.1:8080/).
# Pass --demo to seed demo data on the first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Only the program, without debug information (the server preset of
# CMakePresets.json): the tests and benchmarks are built by scripts/test.sh.
cmake --preset server
cmake --build build -j"$(nproc)" --target kura
exec build/kura serve "$@"
