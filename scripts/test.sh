#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest). The shared
# sample invoices are expected in ../shared/samples beside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
