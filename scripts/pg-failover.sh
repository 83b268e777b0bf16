#!/usr/bin/env bash
# PostgreSQL failover with pg_auto_failover (Debian: apt-get install postgresql-15-auto-failover pg-auto-failover-cli),
# on loopback, as a drill: a monitor, a primary and a synchronous standby; sauda given both hosts
# (postgres://…@127.0.0.1:6101,127.0.0.1:6102/sauda?target_session_attrs=read-write) writing a journal, leading it
# as `sauda serve` does; the primary's node "dies" (its pg_autoctl keeper and postgres killed with SIGKILL) while sauda
# writes; the standby promoted by the monitor; sauda, not restarted, finds the new primary among the hosts, takes its
# leadership again and goes on writing; then every record acknowledged is on the new primary and `sauda verify` is
# clean. Prints the time from the kill to the new primary accepting writes (not in recovery, not read-only: what
# `target_session_attrs=read-write` asks) and to sauda writing again. Not part of CI: it needs the packages, root
# (postgres runs as the postgres user) and about a minute and a half. test/pg-failover.test.ts does the same without
# pg_auto_failover (the test promotes the standby itself) and runs with the tests.
#
# Usage: sudo scripts/pg-failover.sh            (PGAF_BASE=/tmp/dir to choose where the clusters live)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="${PGAF_BASE:-$(mktemp -d /tmp/sauda-pgaf-XXXXXX)}"
PG_BIN=/usr/lib/postgresql/15/bin
MONITOR_PORT=6100
PORTS=(6101 6102)
as_pg() { runuser -u postgres -- env PATH="$PG_BIN:$PATH" "$@"; }

command -v pg_autoctl >/dev/null || { echo "pg_autoctl is missing: apt-get install postgresql-15-auto-failover pg-auto-failover-cli"; exit 2; }
chown postgres "$BASE"
PIDS=()
descendants() { for child in $(pgrep -P "$1" || true); do echo "$child"; descendants "$child"; done; }
cleanup() {
  for dir in "$BASE/node0" "$BASE/node1" "$BASE/monitor"; do
    [ -d "$dir" ] && as_pg pg_autoctl stop --pgdata "$dir" >/dev/null 2>&1 || true
  done
  sleep 2
  for pid in "${PIDS[@]}"; do
    # shellcheck disable=SC2046
    kill -9 $(descendants "$pid") "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

echo "clusters in $BASE"
as_pg pg_autoctl create monitor --pgdata "$BASE/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 \
  --auth trust --no-ssl >"$BASE/monitor.log" 2>&1
as_pg pg_autoctl run --pgdata "$BASE/monitor" >>"$BASE/monitor.log" 2>&1 &
PIDS+=($!)
MONITOR_URI="postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"
for _ in $(seq 1 60); do as_pg psql -At "$MONITOR_URI" -c "select 1" >/dev/null 2>&1 && break; sleep 0.5; done

for i in 0 1; do
  as_pg pg_autoctl create postgres --pgdata "$BASE/node$i" --pgport "${PORTS[$i]}" --hostname 127.0.0.1 \
    --auth trust --no-ssl --dbname sauda --monitor "$MONITOR_URI" --name "node$i" >"$BASE/node$i.log" 2>&1
  as_pg pg_autoctl run --pgdata "$BASE/node$i" >>"$BASE/node$i.log" 2>&1 &
  PIDS+=($!)
  # The first node must be primary before the second joins as its standby.
  for _ in $(seq 1 240); do
    states="$(as_pg pg_autoctl show state --pgdata "$BASE/monitor" 2>/dev/null || true)"
    if [ "$i" = 0 ] && grep -q "single *| *single\|primary *| *primary" <<<"$states"; then break; fi
    if [ "$i" = 1 ] && grep -q "secondary *| *secondary" <<<"$states"; then break; fi
    sleep 0.5
  done
done
as_pg pg_autoctl show state --pgdata "$BASE/monitor"
as_pg psql -At -p "${PORTS[0]}" -h 127.0.0.1 -d sauda -c "show synchronous_standby_names"

primary_port() {
  for port in "${PORTS[@]}"; do
    if [ "$(as_pg psql -At -p "$port" -h 127.0.0.1 -d sauda -c "select not pg_is_in_recovery() and current_setting('transaction_read_only') = 'off'" 2>/dev/null)" = t ]; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

PRIMARY="$(primary_port)"
# Both servers, as every sauda node is given them: whichever is the writable primary is used.
URL="postgres://postgres@127.0.0.1:${PORTS[0]},127.0.0.1:${PORTS[1]}/sauda?target_session_attrs=read-write"
echo "primary on $PRIMARY; sauda writes a journal through $URL"
KEYS="$BASE/keys"
mkdir -p "$KEYS"
(cd "$ROOT" && exec node --import tsx scripts/pg-failover-write.ts "$URL" "$KEYS" 2000 "$BASE/killed" 200) \
  >"$BASE/written.txt" 2>&1 &
WRITER=$!
for _ in $(seq 1 600); do grep -q '^wrote 2000$' "$BASE/written.txt" && break; sleep 0.25; done
grep -q '^wrote 2000$' "$BASE/written.txt" || { cat "$BASE/written.txt"; echo "the writer did not start"; exit 1; }

# The primary's machine dies: its pg_autoctl keeper (which would restart postgres) and postgres, with SIGKILL.
PRIMARY_NODE="$([ "$PRIMARY" = "${PORTS[0]}" ] && echo 0 || echo 1)"
echo "killing node$PRIMARY_NODE's keeper and postgres (SIGKILL)"
POSTMASTER_PID="$(head -1 "$BASE/node$PRIMARY_NODE/postmaster.pid")"
KILLED_AT="$(date +%s%N)"
KEEPER="${PIDS[$((PRIMARY_NODE + 1))]}"
# shellcheck disable=SC2046
kill -9 $(descendants "$KEEPER") "$POSTMASTER_PID" 2>/dev/null || true
echo "$((KILLED_AT / 1000000))" >"$BASE/killed.tmp" && mv "$BASE/killed.tmp" "$BASE/killed"
for _ in $(seq 1 480); do
  NEW="$(primary_port || true)"
  if [ -n "$NEW" ] && [ "$NEW" != "$PRIMARY" ]; then break; fi
  sleep 0.25
done
[ -n "${NEW:-}" ] && [ "$NEW" != "$PRIMARY" ] || { echo "no new primary"; as_pg pg_autoctl show state --pgdata "$BASE/monitor"; exit 1; }
PROMOTED_AT="$(date +%s%N)"
echo "new primary on $NEW, $(((PROMOTED_AT - KILLED_AT) / 1000000)) ms after the kill"
as_pg pg_autoctl show state --pgdata "$BASE/monitor" || true

# sauda was not restarted: it goes on writing on the new primary by itself.
wait "$WRITER" || { cat "$BASE/written.txt"; echo "the writer failed"; exit 1; }
cat "$BASE/written.txt"
ACKED="$(tail -1 "$BASE/written.txt" | sed -n 's/^acknowledged up to \([0-9]*\)$/\1/p')"
NEW_URL="postgres://postgres@127.0.0.1:$NEW/sauda"
HEAD="$(as_pg psql -At "$NEW_URL" -c "select seq from sauda.journal_head")"
echo "journal head on the new primary: $HEAD (acknowledged: $ACKED)"
[ "$HEAD" -ge "$ACKED" ] || { echo "LOST: acknowledged records missing"; exit 1; }
(cd "$ROOT" && node bin/sauda.js verify --database "$URL" --keys "$KEYS")
echo "failover drill passed"
