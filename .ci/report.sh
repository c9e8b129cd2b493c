#!/usr/bin/env bash
# The DuckDB check (issue 17): installs the Python package duckdb, then runs the test that loads a
# `fairpanel export` into DuckDB and reproduces the report's totals with docs/export.sql. CI=1
# makes the test fail, rather than skip, if duckdb could not be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
if ! python3 -c 'import duckdb' >/dev/null 2>&1; then
  python3 -m pip install --quiet duckdb 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages duckdb
fi
echo "duckdb ready in $(( $(date +%s) - start )) s" >&2
CI=1 cargo test --test report duckdb
