#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and starts kura on the
# embedded default (data in ./kura-data, http://127.0.0.1:8080/).
# Pass --demo to seed demo data on the first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/kura serve "$@"
