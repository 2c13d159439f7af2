#!/usr/bin/env bash
# Configures and builds kura into build/ (the program is build/kura) with the
# default preset of CMakePresets.json (Ninja, RelWithDebInfo). Arguments go to
# the configure step, e.g. -DKURA_BUILD_BENCH=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default "$@"
cmake --build --preset default -j"$(nproc)"
