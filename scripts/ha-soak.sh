#!/usr/bin/env bash
# A longer high-availability soak: many SIGKILLs of the leader among PostgreSQL nodes (default 100).
# Usage: scripts/ha-soak.sh [kills] [nodes]
set -euo pipefail
cd "$(dirname "$0")/.."
HA_ROUNDS="${1:-100}" HA_NODES="${2:-4}" HA_VERBOSE="${HA_VERBOSE:-1}" npx vitest run test/ha.test.ts
