#!/usr/bin/env bash
# Serves the dashboard to more users than one process can: PROCESSES `streamlit run dashboard.py`
# processes on free ports of 127.0.0.1, and nginx (from Debian's packages, installed when missing)
# in front of them on PORT, keeping each browser on one process (Streamlit's sessions, downloads
# and uploads live in the process that holds the browser's websocket).
#
# Usage: scripts/serve-many.sh [PROCESSES] [PORT]     (defaults: the machine's cores, 8501)
# Environment: SCRUTINY_DB, the database to serve (default: the demo, built on first start);
# SCRUTINY_LISTEN, the address nginx listens on (default 0.0.0.0: every interface, as
# `streamlit run` does); SCRUTINY_PYTHON, a Python that has requirements.txt installed (default:
# .venv, made and filled as start-dashboard.sh does). Ctrl+C (or a TERM signal to this script) stops
# nginx and every process. (Started with & from another script, bash ignores Ctrl+C: send TERM.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/as-root.sh
source scripts/nginx.sh

processes=${1:-$(nproc)}
port=${2:-8501}
listen=${SCRUTINY_LISTEN:-0.0.0.0}
for number in "$processes" "$port"; do
    [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [PROCESSES] [PORT] (whole numbers)" >&2; exit 2; }
done
if [ -n "${SCRUTINY_PYTHON:-}" ]; then
    python=$SCRUTINY_PYTHON
else
    source scripts/setup-python.sh requirements.txt
    python=.venv/bin/python
fi
ensure_nginx
nginx=$(nginx_binary)
# Checked before anything starts: with the port taken, nginx gives up only after a few seconds, and
# the health check below would meanwhile be answered by whatever holds the port.
if ! "$python" - "$listen" "$port" 2>/dev/null <<'PY'
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx binds it
    s.bind((sys.argv[1], int(sys.argv[2])))
PY
then
    echo "error: cannot listen on $listen port $port (in use by another program?); give another PORT" >&2
    exit 1
fi

rundir=$(mktemp -d "${TMPDIR:-/tmp}/scrutiny-serve.XXXXXX")
pids=()
stop_all() {
    trap - INT TERM EXIT
    # TERM, not nginx's graceful QUIT: that would wait for every open websocket, for hours.
    [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$rundir"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# The demo database is built once here, not by each process on its first page view at once.
if [ -z "${SCRUTINY_DB:-}" ] && [ ! -f data/scrutiny.duckdb ]; then
    "$python" -m scrutiny build-demo
fi

ports=$("$python" - "$processes" <<'PY'
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))  # all held at once, so no two are the same
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
)
servers=""
n=0
for dashboard_port in $ports; do
    n=$((n + 1))
    # scripts/serve.py: `streamlit run dashboard.py`, with the pages' modules imported before it answers
    "$python" scripts/serve.py --server.headless true --server.address 127.0.0.1 \
        --server.port "$dashboard_port" --browser.gatherUsageStats false \
        >"$rundir/dashboard-$n.log" 2>&1 &
    pids+=($!)
    servers+="        server 127.0.0.1:$dashboard_port;"$'\n'
done

# Every process must answer its health check before nginx sends it anyone.
n=0
for dashboard_port in $ports; do
    n=$((n + 1))
    for _ in $(seq 600); do
        if "$python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "http://127.0.0.1:$dashboard_port/_stcore/health" 2>/dev/null; then
            continue 2
        fi
        if ! kill -0 "${pids[$((n - 1))]}" 2>/dev/null; then break; fi
        sleep 0.2
    done
    echo "error: dashboard process $n (port $dashboard_port) did not start; its log ends:" >&2
    tail -n 20 "$rundir/dashboard-$n.log" >&2
    exit 1
done

# Each process opens every page once as soon as it answers (scripts/serve.py), so that the first
# visitors find the pages worked out: nginx sends them only once that is done (or after 3 minutes).
echo "Opening every page once on each process before the first visitors arrive..."
n=0
for dashboard_port in $ports; do
    n=$((n + 1))
    for _ in $(seq 900); do
        if grep -q "^scrutiny: \(every page opened once\|the pages were not opened\)" "$rundir/dashboard-$n.log"; then
            break
        fi
        if ! kill -0 "${pids[$((n - 1))]}" 2>/dev/null; then break; fi
        sleep 0.2
    done
done

# nginx started as root hands its workers to an unprivileged user, who must reach RUNDIR.
user_line=""
if [ "$(id -u)" = 0 ]; then
    user_line="user nobody $(id -gn nobody);"
    chmod 711 "$rundir"
fi
sed -e "s|@RUNDIR@|$rundir|g" -e "s|@USER@|$user_line|" -e "s|@LISTEN@|$listen|" -e "s|@PORT@|$port|" \
    deploy/nginx.conf.template | awk -v servers="$servers" '$1 == "@SERVERS@" { printf "%s", servers; next } { print }' \
    >"$rundir/nginx.conf"
"$nginx" -p "$rundir" -c "$rundir/nginx.conf" -e "$rundir/error.log" &
pids+=($!)
nginx_pid=$!
local_host=$([ "$listen" = 0.0.0.0 ] && echo 127.0.0.1 || echo "$listen")
for attempt in $(seq 101); do
    if "$python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "http://$local_host:$port/_stcore/health" 2>/dev/null; then
        break
    fi
    if [ "$attempt" = 101 ] || ! kill -0 "$nginx_pid" 2>/dev/null; then
        echo "error: nginx did not start on port $port; its log ends:" >&2
        tail -n 20 "$rundir/error.log" >&2
        exit 1
    fi
    sleep 0.1
done
if [ "$listen" = 0.0.0.0 ]; then
    echo "Serving the dashboard with $processes processes behind nginx: http://$(uname -n):$port" \
        "(on this machine http://127.0.0.1:$port). Ctrl+C stops them all."
else
    echo "Serving the dashboard with $processes processes behind nginx: http://$listen:$port. Ctrl+C stops them all."
fi
echo "Logs (removed when stopped): $rundir"

# Serve until Ctrl+C, or until a process ends by itself (then stop the rest: a half-served
# dashboard would strand the sessions of the lost process).
set +e
wait -n "${pids[@]}"
echo "error: a dashboard process or nginx stopped by itself; stopping the others" >&2
exit 1
