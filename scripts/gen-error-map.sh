#!/usr/bin/env bash
# scripts/gen-error-map.sh — write the error map of docs/matrixone.md from src/core/error.c
# (code_table and message_table). The unit test unit.test_error_map_doc fails while the doc
# and the table differ; this runs that test in its writing mode.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" --target unit_test_error_map_doc
MOCORE_WRITE_ERROR_MAP=1 "$build/unit_test_error_map_doc"
