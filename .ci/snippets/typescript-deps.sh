#!/bin/sh
# The TypeScript client check's tools (openapi-typescript, typescript), installed
# exactly from clients/typescript/package-lock.json for tests/api/test_generated_clients.py.
# Idempotent: does nothing when node_modules is already there. Needs node and npm
# (CI has them); call it from .ci/run before the test targets.
set -eu

cd "$(dirname "$0")/../../clients/typescript"
if [ -d node_modules ]; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is not installed" >&2; exit 1; }
npm ci --no-audit --no-fund
