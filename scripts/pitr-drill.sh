#!/usr/bin/env bash
# Point-in-time recovery of a PostgreSQL journal, as a drill (docs/operations.md, "Backups and point-in-time
# recovery"), with PostgreSQL's own tools: a throwaway cluster on loopback with WAL archiving (archive_command copies
# each finished WAL segment to an archive directory), a base backup (pg_basebackup), a sauda journal written in two
# batches with a restore point made by sauda between them (and another halfway through batch 2, while its appends go
# on), then a disaster: the journal table dropped by a wrong command. Three recoveries from the base backup and the
# archive, each into a new directory:
#   1. to the restore point (recovery_target_name): the journal must end exactly at the record acknowledged when the
#      point was made (nothing of batch 2), verify with the checkpoints published up to it, and be refused as a
#      rollback while the newer checkpoints are still in the log;
#   2. to the moment before the wrong command (recovery_target_time): every acknowledged record present, verify clean;
#   3. to the restore point made during batch 2: the journal must end exactly at the head that point reported.
# Each step is timed. Prints `RESULT key=value` lines (test/pitr.test.ts reads them) and exits 0 only if every check
# passed; exit 3 when PostgreSQL's binaries are not there.
#
# Usage: scripts/pitr-drill.sh     (as root: postgres runs as the postgres user; or as a user who may run postgres)
#   PITR_BASE=dir       where the clusters live (default a new /tmp/sauda-pitr-*; removed at the end unless KEEP=1)
#   PITR_ORDERS=500     orders per batch
#   PG_BIN=/usr/lib/postgresql/15/bin
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
ORDERS="${PITR_ORDERS:-500}"
[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_basebackup" ] || { echo "SKIP: no PostgreSQL binaries in $PG_BIN"; exit 3; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "SKIP: running as root, but there is no postgres user to run PostgreSQL as"; exit 3; }
  as_pg() { runuser -u postgres -- env PATH="$PG_BIN:$PATH" "$@"; }
else
  as_pg() { env PATH="$PG_BIN:$PATH" "$@"; }
fi
BASE="${PITR_BASE:-$(mktemp -d /tmp/sauda-pitr-XXXXXX)}"
mkdir -p "$BASE"
[ "$(id -u)" = 0 ] && chown postgres "$BASE"
ARCHIVE="$BASE/archive"
as_pg mkdir -p "$ARCHIVE"
now_ms() { date +%s%3N; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
sauda() { (cd "$ROOT" && node bin/sauda.js "$@"); }
result() { echo "RESULT $1=$2"; }
fail() { echo "DRILL FAILED: $*"; exit 1; }

CLUSTERS=()
cleanup() {
  for dir in "${CLUSTERS[@]}"; do as_pg pg_ctl -D "$dir" -m immediate stop >/dev/null 2>&1 || true; done
  [ "${KEEP:-0}" = 1 ] || [ -n "${PITR_BASE:-}" ] || rm -rf "$BASE"
}
trap cleanup EXIT

psql_at() { as_pg psql -X -At -h 127.0.0.1 -p "$1" -U postgres -d "${3:-sauda}" -c "$2"; }

# 1. The primary, with WAL archiving.
t0="$(now_ms)"
PRIMARY="$BASE/primary"
PORT="$(free_port)"
as_pg initdb -D "$PRIMARY" -A trust -U postgres --no-sync >"$BASE/initdb.log" 2>&1
cat >>"$PRIMARY/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $ARCHIVE/%f && cp %p $ARCHIVE/%f'
archive_timeout = 60
EOF
CLUSTERS+=("$PRIMARY")
as_pg pg_ctl -D "$PRIMARY" -l "$BASE/primary.log" -w start >/dev/null
psql_at "$PORT" "CREATE DATABASE sauda" postgres >/dev/null
URL="postgres://postgres@127.0.0.1:$PORT/sauda"
result primary_start_ms "$(($(now_ms) - t0))"

# 2. The base backup (the nightly job), taken before any of the journal exists.
t0="$(now_ms)"
as_pg pg_basebackup -h 127.0.0.1 -p "$PORT" -U postgres -D "$BASE/base" -Fp -X stream -c fast
result base_backup_ms "$(($(now_ms) - t0))"

# 3. sauda writes the journal: batch 1, a restore point made by sauda, batch 2.
KEYS="$BASE/keys"
t0="$(now_ms)"
(cd "$ROOT" && node --import tsx scripts/pitr-drill-write.ts "$URL" "$KEYS" "$ORDERS" after-batch-1) | tee "$BASE/written.txt"
result write_ms "$(($(now_ms) - t0))"
S1="$(sed -n 's/^batch 1 acknowledged up to \([0-9]*\)$/\1/p' "$BASE/written.txt")"
POINT_SEQ="$(sed -n 's/^restore point after-batch-1 at LSN .*: journal head \([0-9]*\)$/\1/p' "$BASE/written.txt")"
S2="$(sed -n 's/^batch 2 acknowledged up to \([0-9]*\)$/\1/p' "$BASE/written.txt")"
MID_SEQ="$(sed -n 's/^restore point during-batch-2 at LSN .*: journal head \([0-9]*\) .*$/\1/p' "$BASE/written.txt")"
MID_ACKED="$(sed -n 's/^restore point during-batch-2 .*(acknowledged before it was asked for: \([0-9]*\))$/\1/p' "$BASE/written.txt")"
[ -n "$S1" ] && [ -n "$POINT_SEQ" ] && [ -n "$S2" ] && [ -n "$MID_SEQ" ] && [ -n "$MID_ACKED" ] ||
  fail "the writer did not report its batches"
result batch1_acked "$S1"
result restore_point_seq "$POINT_SEQ"
result batch2_acked "$S2"
result during_point_seq "$MID_SEQ"
result during_point_acked_before "$MID_ACKED"

# 4. The disaster: a wrong command drops the journal table. The last moment before it is noted (the server's clock).
BEFORE="$(psql_at "$PORT" "SELECT clock_timestamp()")"
psql_at "$PORT" "DROP TABLE sauda.journal" >/dev/null
echo "the journal table was dropped after $BEFORE"
# sauda verify must refuse the damaged journal; it runs beside the recoveries (a node start is the slow part here).
verify_timed() { # name url keys
  local t0 code
  t0="$(now_ms)"
  set +e
  sauda verify --database "$2" --keys "$3" >"$BASE/verify-$1.txt" 2>&1
  code=$?
  set -e
  { cat "$BASE/verify-$1.txt"; result "verify_$1_exit" "$code"; result "verify_$1_ms" "$(($(now_ms) - t0))"; } >"$BASE/verified-$1.txt"
}
verify_timed damaged "$URL" "$KEYS" &
DAMAGED_PID=$!
# Everything up to now must reach the archive before the recovery can use it (in a real loss of the primary, what
# was not archived is lost: at most archive_timeout of WAL, or nothing with pg_receivewal or a synchronous standby).
SEGMENT="$(psql_at "$PORT" "SELECT pg_walfile_name(pg_switch_wal())")"
for _ in $(seq 1 300); do [ -f "$ARCHIVE/$SEGMENT" ] && break; sleep 0.1; done
[ -f "$ARCHIVE/$SEGMENT" ] || fail "WAL segment $SEGMENT never reached the archive"
result archived_wal_segments "$(find "$ARCHIVE" -maxdepth 1 -name '0*' ! -name '*.*' | wc -l)"

# 5. Recovery: the base backup copied to a new directory, WAL replayed from the archive up to the target, promoted.
# Writes its port to $BASE/<name>.port. (Not run in a subshell: CLUSTERS must learn of it for the cleanup.)
restore() { # name target-setting...
  local name="$1" dir="$BASE/$1" port t0 t1 t2
  shift
  port="$(free_port)"
  t0="$(now_ms)"
  as_pg cp -a "$BASE/base" "$dir"
  t1="$(now_ms)"
  {
    echo "port = $port"
    echo "archive_mode = off"
    echo "restore_command = 'cp $ARCHIVE/%f %p'"
    for setting in "$@"; do echo "$setting"; done
    echo "recovery_target_action = 'promote'"
  } | as_pg tee -a "$dir/postgresql.conf" >/dev/null
  as_pg touch "$dir/recovery.signal"
  CLUSTERS+=("$dir")
  as_pg pg_ctl -D "$dir" -l "$BASE/$name.log" -w start >/dev/null
  for _ in $(seq 1 600); do
    [ "$(psql_at "$port" "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ] && break
    sleep 0.1
  done
  [ "$(psql_at "$port" "SELECT pg_is_in_recovery()")" = f ] || fail "$name: still in recovery"
  t2="$(now_ms)"
  result "${name}_copy_ms" "$((t1 - t0))"
  result "${name}_recovery_ms" "$((t2 - t1))"
  result "${name}_head" "$(psql_at "$port" "SELECT seq FROM sauda.journal_head")"
  result "${name}_max_seq" "$(psql_at "$port" "SELECT coalesce(max(seq), 0) FROM sauda.journal")"
  result "${name}_records" "$(psql_at "$port" "SELECT count(*) FROM sauda.journal")"
  echo "$port" >"$BASE/$name.port"
}

# 5a. To the restore point; 5b. to the moment before the wrong command.
restore to_point "recovery_target_name = 'after-batch-1'" >"$BASE/to_point.txt"
cat "$BASE/to_point.txt"
restore before_drop "recovery_target_time = '$BEFORE'" >"$BASE/before_drop.txt"
cat "$BASE/before_drop.txt"
restore during "recovery_target_name = 'during-batch-2'" >"$BASE/during.txt"
cat "$BASE/during.txt"
URL1="postgres://postgres@127.0.0.1:$(cat "$BASE/to_point.port")/sauda"
URL2="postgres://postgres@127.0.0.1:$(cat "$BASE/before_drop.port")/sauda"

# The journal recovered to the restore point, with the checkpoints log as it is: the log still holds the checkpoints
# signed after the point, so verify (and a start) refuse the journal as rolled back. The procedure: move those lines
# out of the log with `sauda checkpoints set-aside` (which keeps them in a file of their own: they are evidence of what
# was given up), on a copy of the keys so that the verify of the log as it was can run beside it.
cp -a "$KEYS" "$BASE/keys-to-point"
sauda checkpoints set-aside --database "$URL1" --keys "$BASE/keys-to-point" \
  --to "$BASE/keys-to-point/checkpoints.jsonl.after-restore-point" | tee "$BASE/set-aside.txt"
grep -q "^set aside [1-9][0-9]* checkpoints beyond the journal's head $POINT_SEQ " "$BASE/set-aside.txt" ||
  fail "sauda checkpoints set-aside did not set aside the checkpoints after the restore point"
verify_timed to_point_all_checkpoints "$URL1" "$KEYS" &
PIDS=($! "$DAMAGED_PID")
verify_timed to_point "$URL1" "$BASE/keys-to-point" &
PIDS+=($!)
verify_timed before_drop "$URL2" "$KEYS" &
PIDS+=($!)
wait "${PIDS[@]}"
for name in damaged to_point_all_checkpoints to_point before_drop; do cat "$BASE/verified-$name.txt"; done
as_pg pg_ctl -D "$PRIMARY" -m fast stop >/dev/null

value() { sed -n "s/^RESULT $2=\(.*\)$/\1/p" "$1"; }
[ "$(value "$BASE/verified-damaged.txt" verify_damaged_exit)" != 0 ] || fail "sauda verify accepted the damaged journal"
for key in head max_seq records; do
  [ "$(value "$BASE/to_point.txt" "to_point_$key")" = "$POINT_SEQ" ] || fail "to_point_$key is not $POINT_SEQ"
  [ "$(value "$BASE/before_drop.txt" "before_drop_$key")" = "$S2" ] || fail "before_drop_$key is not $S2"
  [ "$(value "$BASE/during.txt" "during_$key")" = "$MID_SEQ" ] || fail "during_$key is not $MID_SEQ"
done
[ "$MID_SEQ" -ge "$MID_ACKED" ] && [ "$MID_SEQ" -le "$S2" ] ||
  fail "the restore point during batch 2 fell at $MID_SEQ, outside [$MID_ACKED, $S2]"
[ "$POINT_SEQ" = "$S1" ] || fail "the restore point fell at $POINT_SEQ, not at batch 1's last acknowledgement $S1"
grep -q "BAD — .*rolled back" "$BASE/verify-to_point_all_checkpoints.txt" || fail "the rolled-back journal was not refused"
grep -q ": OK — $S1 records" "$BASE/verify-to_point.txt" || fail "the journal recovered to the restore point does not verify"
grep -q ": OK — $S2 records" "$BASE/verify-before_drop.txt" || fail "the journal recovered to before the drop does not verify"
echo "point-in-time recovery drill passed"
