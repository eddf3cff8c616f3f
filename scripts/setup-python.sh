# Sourced by the other scripts: makes .venv (Python 3.11 or newer) and installs a requirements file,
# saying what it does as it goes (a first install takes about a minute: it must not look stuck).
# Usage: source scripts/setup-python.sh requirements.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/as-root.sh
source scripts/step.sh

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: Python 3.11 or newer is needed as '$python' (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi
make_venv() {
    if ! "$python" -m venv .venv 2>/dev/null; then
        # Debian and Ubuntu ship venv separately.
        rm -rf .venv
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python3-venv"
        "$python" -m venv .venv
    fi
}
if [ ! -x .venv/bin/python ]; then
    step "Making the Python environment .venv with $("$python" --version)" make_venv
fi
# pip's own lines show each package as it is collected and installed; once everything is
# installed, one line per requirement ("Requirement already satisfied") and a few seconds.
step "Updating pip" .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip
step "Installing the Python packages of $1" .venv/bin/python -m pip install --disable-pip-version-check -r "$1"
