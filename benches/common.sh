# Shared by the benchmark scripts (sourced, after each defines `die`): the release build, and a
# scratch directory with `mp4u sandbox --empty` on a free port, both gone on exit.

# Builds the release binary (in $CARGO_TARGET_DIR if set) and sets MP4U to it.
build_mp4u() {
    cargo build --release --quiet || die "cargo build --release failed"
    MP4U=${CARGO_TARGET_DIR:-$PWD/target}/release/mp4u
    [[ -x $MP4U ]] || die "no binary at $MP4U after the build"
}

# shellcheck disable=SC2317 # run by the EXIT trap, which shellcheck 0.9 does not follow
cleanup() {
    if [[ -n ${SANDBOX_PID:-} ]]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}

# Makes TMP (named after $1) and starts the sandbox there; sets URL and KEY once it answers.
# Port 0: the sandbox takes a free port and prints its address.
start_sandbox() {
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    SANDBOX_PID=
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    "$MP4U" sandbox --port 0 --empty >"$TMP/sandbox.out" 2>"$TMP/sandbox.err" &
    SANDBOX_PID=$!
    URL=
    KEY=
    for _ in $(seq 100); do
        kill -0 "$SANDBOX_PID" 2>/dev/null ||
            die "the sandbox exited at start: $(cat "$TMP/sandbox.err" "$TMP/sandbox.out")"
        URL=$(sed -n 's/^mp4u sandbox listening on //p' "$TMP/sandbox.out")
        KEY=$(sed -n 's/^API key: //p' "$TMP/sandbox.out")
        if [[ -n $URL && -n $KEY ]] &&
            curl -sf -o /dev/null "$URL/api/account/info?key=$KEY"; then
            return
        fi
        URL=
        sleep 0.1
    done
    die "the sandbox did not answer within 10 s: $(cat "$TMP/sandbox.err")"
}
