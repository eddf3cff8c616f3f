#!/usr/bin/env bash
# Installs what the dashboard needs into .venv and starts it on the bundled demo data
# (built on first start). Extra arguments go to `streamlit run`, e.g. --server.port 8502.
source "$(dirname "$0")/setup-python.sh" requirements.txt
source scripts/pango.sh
ensure_pango  # the meeting pack's PDF library needs it
exec .venv/bin/python -m streamlit run dashboard.py --browser.gatherUsageStats false "$@"
