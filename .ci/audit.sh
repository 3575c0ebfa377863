#!/usr/bin/env bash
# Security scanners, run by `make audit` and by CI's audit stage:
#   1. bandit -r directory scrapers -ll          (static analysis, medium severity and up)
#   2. wapiti (xss, permanentxss, sql, timesql, csrf) crawling the running app on loopback
#   3. sqlmap on the search, suggestion and API parameters and on a form (CSRF token and a
#      logged-in contributor's cookie), level 1 / risk 1
#   4. pip-audit on requirements.lock (known vulnerabilities in the pinned packages); when no
#      vulnerability database can be reached it says "NOT CHECKED" and does not fail the run
# The app runs under gunicorn on a free loopback port over a temporary SQLite database seeded
# with the browser journeys' directory; rate limits are off so the scanners reach the views.
# It is the development app factory, not wsgi:app, only because production cookies are Secure
# and the scanners talk plain http on loopback: without the cookie, every form post would stop
# at the CSRF check and the scanners would never reach the views behind it.
# Exits non-zero when bandit reports an issue, a scanner finds XSS, SQL injection or CSRF, or
# pip-audit checked and found a known vulnerability.
# Scanners come from requirements-audit.txt, in their own virtualenv (AUDIT_VENV): wapiti pins
# older Flask/SQLAlchemy/MarkupSafe than the app uses, so it must not share the app's .venv.
# sqlmap is Debian's package (apt-get install sqlmap).
set -euo pipefail

cd "$(dirname "$0")/.."
VENV_BIN=${VENV_BIN:-.venv/bin}
AUDIT_VENV=${AUDIT_VENV:-build/audit-venv}
SCAN_SECONDS=${SCAN_SECONDS:-300}
OUT=${AUDIT_OUT:-build/audit}

command -v sqlmap >/dev/null || { echo "sqlmap not found (apt-get install sqlmap)" >&2; exit 1; }
[ -x "$AUDIT_VENV/bin/wapiti" ] || { echo "wapiti not found in $AUDIT_VENV (make audit installs it)" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/audit.XXXXXX")
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

FAILURES=()
NOT_CHECKED=()

echo "=== bandit"
if ! "$AUDIT_VENV/bin/bandit" -r directory scrapers -ll -q; then
    FAILURES+=("bandit")
fi

echo "=== app under gunicorn"
export DATABASE_URL="sqlite:///$WORK/directory.sqlite" SEARCH_INDEX_DIR="$WORK/search-index"
"$VENV_BIN/python" .ci/audit_helper.py seed "$DATABASE_URL" "$SEARCH_INDEX_DIR" 2>"$OUT/seed.log"
PORT=$("$VENV_BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
SECRET_KEY=$("$VENV_BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))') \
DIRECTORY_RATELIMIT_ENABLED=false SEC_USER_AGENT="CEO Directory audit audit@example.org" \
    "$VENV_BIN/gunicorn" -b "127.0.0.1:$PORT" -w 2 --access-logfile "$OUT/access.log" \
    --error-logfile "$OUT/server.log" 'directory:create_app()' &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$BASE/robots.txt" 2>/dev/null && break
    sleep 0.3
done
curl -fsS -o /dev/null "$BASE/" || { echo "the app did not start" >&2; cat "$OUT/server.log" >&2; exit 1; }
echo "serving $BASE"

echo "=== wapiti (at most ${SCAN_SECONDS}s)"
"$AUDIT_VENV/bin/wapiti" -u "$BASE/" --scope folder -m xss,permanentxss,sql,timesql,csrf \
    --max-scan-time "$SCAN_SECONDS" --max-attack-time "$((SCAN_SECONDS / 5))" --flush-session \
    -x "$BASE/accounts/logout" -x "$BASE/static/*" \
    -f json -o "$OUT/wapiti.json" --store-session "$WORK/wapiti-session" >"$OUT/wapiti.log" 2>&1 \
    || { tail -n 30 "$OUT/wapiti.log" >&2; FAILURES+=("wapiti did not finish"); }
if [ -f "$OUT/wapiti.json" ] && ! "$VENV_BIN/python" .ci/audit_helper.py wapiti-findings "$OUT/wapiti.json"; then
    FAILURES+=("wapiti findings")
fi

echo "=== sqlmap (level 1, risk 1)"
COOKIE=$("$VENV_BIN/python" .ci/audit_helper.py cookie "$BASE")
sqlmap_scan() {  # sqlmap_scan NAME ARGS...: one target, bounded in time; fails on an injection point
    local name=$1
    shift
    timeout "$SCAN_SECONDS" sqlmap --batch --level 1 --risk 1 --flush-session --disable-coloring \
        --output-dir "$WORK/sqlmap" --cookie "$COOKIE" "$@" >"$OUT/sqlmap-$name.log" 2>&1 || true
    if grep -q "identified the following injection point" "$OUT/sqlmap-$name.log"; then
        grep -A8 "identified the following injection point" "$OUT/sqlmap-$name.log"
        FAILURES+=("sqlmap: injection in $name")
    else
        echo "sqlmap $name: $(grep -cE 'does not seem to be injectable|not injectable' "$OUT/sqlmap-$name.log") parameter(s) tested, none injectable"
    fi
}
sqlmap_scan search -u "$BASE/search?q=apple&country=US&sector=Software&page=1"
sqlmap_scan suggest -u "$BASE/search/suggest?q=app"
sqlmap_scan api -u "$BASE/api/v1/companies?q=apple&page=1&per_page=5"
sqlmap_scan api-company -u "$BASE/api/v1/companies/apple-inc*"
sqlmap_scan report -u "$BASE/contribute/report/company/1?field=phone" --method POST \
    --data "csrf_token=x&note=outdated" --csrf-token csrf_token --csrf-url "$BASE/contribute/report/company/1"
sqlmap_scan login -u "$BASE/accounts/login" --method POST \
    --data "csrf_token=x&email=someone%40example.org&password=whatever" --csrf-token csrf_token \
    --csrf-url "$BASE/accounts/login"

if grep -q " 500 " "$OUT/access.log"; then
    echo "server errors during the scans (see $OUT/server.log):"
    grep " 500 " "$OUT/access.log" | head -n 20
    FAILURES+=("HTTP 500 during the scans")
fi

echo "=== pip-audit (requirements.lock)"
"$AUDIT_VENV/bin/pip-audit" -r requirements.lock --no-deps --disable-pip --progress-spinner off \
    -f json -o "$OUT/pip-audit.json" >"$OUT/pip-audit.log" 2>&1 || true
VERDICT=0
"$VENV_BIN/python" .ci/audit_helper.py pip-audit-verdict "$OUT/pip-audit.json" "$OUT/pip-audit.log" || VERDICT=$?
case $VERDICT in
    0) ;;
    1) FAILURES+=("pip-audit: known vulnerabilities") ;;
    *) NOT_CHECKED+=("pip-audit: no vulnerability database reachable (see $OUT/pip-audit.log)") ;;
esac

echo "=== audit summary (logs in $OUT/)"
if [ "${#NOT_CHECKED[@]}" -ne 0 ]; then
    printf 'NOT CHECKED  %s\n' "${NOT_CHECKED[@]}"
fi
if [ "${#FAILURES[@]}" -ne 0 ]; then
    printf 'FAIL  %s\n' "${FAILURES[@]}"
    exit 1
fi
echo "PASS  no XSS, SQL injection or CSRF finding; bandit clean; no server error$([ "${#NOT_CHECKED[@]}" -eq 0 ] && echo "; no known vulnerable package")"
