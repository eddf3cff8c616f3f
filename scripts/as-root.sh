# Sourced by the other scripts: as_root COMMAND... runs COMMAND as root (itself when already root,
# else through sudo), for the few things installed from Debian's packages.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: '$*' needs root, and sudo is not available; run it as root once" >&2; return 1; fi; }
