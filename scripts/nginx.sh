# Sourced by serve-many.sh and run-tests.sh (after as-root.sh): nginx from Debian's packages.
# `nginx_binary` prints nginx's path (/usr/sbin is not on every user's PATH), or nothing.
nginx_binary() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

# Installs nginx when missing: nginx-light where Debian still has it (fewer modules, all we use),
# else nginx. On a machine with systemd the package also starts a system nginx on port 80, which
# serve-many.sh does not use (it runs its own, as any user, on the port it is given).
ensure_nginx() {
    [ -n "$(nginx_binary)" ] && return 0
    echo "Installing nginx from Debian's packages for serve-many.sh..."
    { as_root apt-get update -qq \
        && { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light \
             || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }; } || true
    if [ -z "$(nginx_binary)" ]; then
        echo "error: nginx is not installed and could not be installed from Debian's packages;" \
             "install it as root (apt-get install nginx-light, or nginx)" >&2
        return 1
    fi
}
