#!/usr/bin/env bash
# Memory of the running file manager when it opens a folder of N files (default 50,000):
# the process's resident set (VmRSS) before the folder is highlighted and once its listing is
# complete, and the growth per file. Floor: 300 bytes of RSS per file.
#
#   bash benches/rss.sh [N]
#
# Needs tmux. Builds the release binary; the sandbox runs in its own process, so only the file
# manager's memory is counted.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-50000}
FLOOR=300
cargo build --release --locked --quiet
BIN=$PWD/target/release/mp4u
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEY=mp4udemo7x2k9qwmz
TMP=$(mktemp -d)
SESSION=mp4u-rss-$$

cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  [ -n "${SB:-}" ] && kill "$SB" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

"$BIN" sandbox --port "$PORT" --empty --big-folder "$N" >"$TMP/sandbox.log" 2>&1 &
SB=$!
for _ in $(seq 100); do grep -q listening "$TMP/sandbox.log" && break; sleep 0.1; done

tmux new-session -d -s "$SESSION" -x 120 -y 35 \
  "HOME=$TMP MP4UPLOAD_API_URL=http://127.0.0.1:$PORT MP4UPLOAD_API_KEY=$KEY $BIN --log-file $TMP/mp4u.log"
PID=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}')

screen() { tmux capture-pane -p -t "$SESSION"; }
wait_for() {
  for _ in $(seq 1200); do screen | grep -q "$1" && return 0; sleep 0.1; done
  echo "timed out waiting for: $1" >&2; screen >&2; exit 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }

wait_for "Big"
sleep 1
BEFORE=$(rss_kb)
tmux send-keys -t "$SESSION" j
COUNT=$(python3 -c "print(f'{$N:,}')")
START=$(date +%s.%N)
wait_for "· $COUNT files"
END=$(date +%s.%N)
sleep 1
AFTER=$(rss_kb)
tmux send-keys -t "$SESSION" q

GROWTH=$(( (AFTER - BEFORE) * 1024 ))
PER_FILE=$(( GROWTH / N ))
printf 'files listed                 %s\n' "$COUNT"
printf 'listing time                 %.1f s (the client paces itself at 7 calls a second)\n' "$(echo "$END - $START" | bc)"
printf 'RSS before the folder        %s kB\n' "$BEFORE"
printf 'RSS with the folder listed   %s kB\n' "$AFTER"
printf 'growth per file              %s bytes (floor %s)\n' "$PER_FILE" "$FLOOR"
if [ "$PER_FILE" -le "$FLOOR" ]; then echo PASS; else echo FAIL; exit 1; fi
