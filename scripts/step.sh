# Sourced by the other scripts: step "what" COMMAND... says what is being done, runs it, and says
# how long it took, so that a long install or build never looks stuck.
step() {
    local what=$1 started=$SECONDS
    shift
    echo "==> $what..."
    "$@"
    echo "==> $what: done in $((SECONDS - started)) s"
}
