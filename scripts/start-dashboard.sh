#!/usr/bin/env bash
# Installs what the dashboard needs into .venv, then serves it (scripts/serve-dashboard.sh: the demo
# database is built first if there is none). Extra arguments go to `streamlit run`, e.g. --server.port 8502.
source "$(dirname "$0")/setup-python.sh" requirements.txt
source scripts/pango.sh
ensure_pango  # the meeting pack's PDF library needs it
exec bash scripts/serve-dashboard.sh "$@"
