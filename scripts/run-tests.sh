#!/usr/bin/env bash
# Installs what the tests need (Python packages into .venv; Chromium, the DejaVu fonts and nginx
# from Debian's packages when missing) and runs the whole test suite, real-browser tests included.
# Extra arguments go to pytest.
source "$(dirname "$0")/setup-python.sh" requirements-dev.txt

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    echo "Installing Chromium from Debian's packages for the browser tests..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    # The meeting pack's font: it has the ratings' icons (the pack falls back to another without).
    echo "Installing the DejaVu fonts from Debian's packages for the meeting pack..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core
fi
source scripts/pango.sh
ensure_pango
source scripts/nginx.sh
# tests/test_serve_many.py runs scripts/serve-many.sh, which puts nginx in front; without nginx that
# test fails saying why, and the others still run.
ensure_nginx || true

# The suite starts many Python processes (a worker per core, Streamlit servers, command-line runs).
# Where PYTHONDONTWRITEBYTECODE is set (some machines and containers set it), each one compiled the
# package again, and each worker rewrote every test file's asserts again (8 s of collection instead
# of 4): here Python keeps its compiled files, in the __pycache__ folders git ignores.
unset PYTHONDONTWRITEBYTECODE

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests; that is a failure, not a pass" >&2
    exit 1
fi
exit "$status"
