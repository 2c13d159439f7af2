#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and starts kura on the
# embedded default (data in ./kura-data, http://127.0.0.1:8080/).
# Pass --demo to seed demo data on the first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Only the program: the tests and benchmarks are built by scripts/test.sh.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)" --target kura
exec build/kura serve "$@"
