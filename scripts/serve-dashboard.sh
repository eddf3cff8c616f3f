#!/usr/bin/env bash
# Serves the dashboard from .venv (made by scripts/start-dashboard.sh). With no database yet, the
# demo database is built first, before the server starts, so that the first visitor is not kept
# waiting while it is built. Extra arguments go to `streamlit run`, e.g. --server.port 8502.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/step.sh

# The database the dashboard serves: SCRUTINY_DB, or the demo's (as scrutiny.core.paths says).
database=${SCRUTINY_DB:-data/scrutiny.duckdb}
if [ -e "$database" ]; then
    echo "==> Serving the database $database"
elif [ -n "${SCRUTINY_DB:-}" ]; then
    echo "error: SCRUTINY_DB names $database, which does not exist" >&2
    exit 1
else
    # Written to a new file that is renamed into place when whole: a build that is stopped leaves
    # no half-made database, and the next start builds it again.
    step "Building the demo database $database (first start only)" .venv/bin/python -m scrutiny build-demo
fi
echo "==> Starting the dashboard (Streamlit says where to open it when it is ready)"
# scripts/serve.py: `streamlit run dashboard.py`, with the pages' modules imported before the server answers.
exec .venv/bin/python scripts/serve.py --browser.gatherUsageStats false "$@"
