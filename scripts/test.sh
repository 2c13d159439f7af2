#!/usr/bin/env bash
# Installs what is missing (with --test: chromium, and the npm packages of
# tests/e2e), builds, and runs every test (ctest) twice: first the normal
# build (build/, scripts/build.sh), the browser tests (label e2e) included,
# then — once that passed — the
# same suite built with AddressSanitizer and UndefinedBehaviorSanitizer (the
# asan preset of CMakePresets.json: build-asan/, tests and program only, no
# benchmarks; the asan test preset sets ASAN_OPTIONS, LSAN_OPTIONS and
# UBSAN_OPTIONS, suppressions in tests/sanitizers/). Both must pass.
# Arguments go to both ctest runs (e.g. -R '^web\.'). The shared sample
# invoices are expected in ../shared/samples beside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
# The browser tests' npm packages, exactly as package-lock.json pins them.
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
bash scripts/build.sh
ctest --preset default -j"$(nproc)" "$@"
echo "test.sh: the normal suite passed after ${SECONDS} s; now under ASan+UBSan"

cmake --preset asan
cmake --build --preset asan -j"$(nproc)"
ctest --preset asan -j"$(nproc)" "$@"
echo "test.sh: both suites passed in ${SECONDS} s"
