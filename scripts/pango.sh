# Sourced by run-tests.sh and start-dashboard.sh (after setup-python.sh, which defines as_root):
# the meeting pack's PDF library (WeasyPrint) lays out text with Pango, a system library.
# Debian's chromium pulls it in; a machine without chromium gets it here.
ensure_pango() {
    if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
        return 0
    fi
    echo "Installing Pango from Debian's packages for the meeting pack (PDF)..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0
}
