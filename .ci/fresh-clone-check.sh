#!/usr/bin/env bash
# Prove the README's `make run` works from a clean clone: clone this checkout into a temporary
# directory, run `make run` there on a free port (it creates .venv from PyPI, migrates, imports
# the bundled snapshot and builds the index), wait until / answers 200 with "CEO Directory",
# check that a search answers too, then stop the server and delete the clone.
#   bash .ci/fresh-clone-check.sh [SECONDS_TO_WAIT]
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WAIT_SECONDS=${1:-300}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ci-fresh-clone.XXXXXX")
LOG="$WORK/make-run.log"
SERVER_PID=""

cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM -- "-$SERVER_PID" 2>/dev/null || true  # make, flask and its reloader: one group
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "fresh-clone check FAILED: $*" >&2
    echo "--- last lines of make run's output ---" >&2
    tail -n 40 "$LOG" >&2 || true
    exit 1
}

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git clone --quiet "$REPO" "$WORK/clone"
echo "cloned $(git -C "$WORK/clone" rev-parse --short HEAD) into $WORK/clone; make run on port $PORT"

# setsid: the server and its children form one process group the cleanup can stop.
(cd "$WORK/clone" && exec setsid make run PORT="$PORT" </dev/null >"$LOG" 2>&1) &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
started=$SECONDS
until curl --silent --fail --max-time 5 --output "$WORK/home.html" "$BASE/"; do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "make run exited before serving $BASE/"
    [ $((SECONDS - started)) -lt "$WAIT_SECONDS" ] || fail "$BASE/ did not answer 200 within ${WAIT_SECONDS}s"
    sleep 2
done
echo "/ answered 200 after $((SECONDS - started))s"
grep -q "CEO Directory" "$WORK/home.html" || fail "the home page does not contain \"CEO Directory\""

status=$(curl --silent --max-time 10 --output "$WORK/search.html" --write-out '%{http_code}' "$BASE/search?q=apple")
[ "$status" = 200 ] || fail "/search?q=apple answered $status"
grep -q 'href="/companies/apple-inc"' "$WORK/search.html" || fail "/search?q=apple does not link to Apple Inc. (from the bundled snapshot)"
echo "/search?q=apple answered 200"
echo "fresh-clone check passed"
