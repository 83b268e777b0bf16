#!/usr/bin/env bash
# A longer crash soak: many SIGKILLs of the journal child process (default 300). Usage: scripts/crash-soak.sh [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
CRASH_ITERATIONS="${1:-300}" npx vitest run test/crash.test.ts
