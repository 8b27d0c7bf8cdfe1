#!/usr/bin/env bash
# Bandwidth limit benchmark: `mp4u upload --bwlimit RATE` of a 20 MB file to the sandbox over
# loopback, for 1M and 4M, and two 10 MB files at once under 2M (sharing it): the rate measured
# (the bytes over the whole run's wall time, the calls before the upload included) against the
# limit, and the peak RSS against an upload with no limit (memory stays flat: a limited upload
# holds no more than one chunk).
#
#   benches/bwlimit.sh
#
# Builds the release binary (in $CARGO_TARGET_DIR if set), starts `mp4u sandbox --empty` on a
# free port, and prints each figure against its floor:
#   rate / limit within 0.85 .. 1.15, peak RSS <= 40 MB, RSS limited - unlimited <= 5 MB
# (MB = 10^6 bytes; K and M in --bwlimit are 1000 and 1000^2). A FAIL is reported, not fatal:
# the script exits 0 once the report is printed, and non-zero only when something broke (build,
# sandbox, an upload failed), with the reason. About 40 s.
#
# Environment: SIZE_MB (default 20), the file size; LIMITS (default "1M 4M").

set -euo pipefail

SIZE_MB=${SIZE_MB:-20}
LIMITS=${LIMITS:-1M 4M}
RSS_FLOOR_MB=40
GROWTH_FLOOR_MB=5

die() {
    echo "benches/bwlimit.sh: $*" >&2
    exit 1
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# --- tools --------------------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: a Rust toolchain is needed to build mp4u"
command -v curl >/dev/null || die "curl not found (Debian package: curl)"
[[ -x /usr/bin/time ]] ||
    die "/usr/bin/time (GNU time) is needed for the peak RSS; install it: sudo apt-get install time"
/usr/bin/time -v true 2>&1 | grep -q 'Maximum resident set size' ||
    die "/usr/bin/time is not GNU time (no -v 'Maximum resident set size')"

# --- build, scratch dir and the sandbox (both gone on exit) ------------------------------------
# shellcheck source=benches/common.sh
source benches/common.sh
build_mp4u
start_sandbox mp4u-bwlimit

# An empty config: no user config (nor its bwlimit) is read.
CONFIG=$TMP/bench.toml
: >"$CONFIG"
export MP4UPLOAD_API_URL=$URL MP4UPLOAD_API_KEY=$KEY

BYTES=$((SIZE_MB * 1000 * 1000))
FILE=$TMP/clip.mp4
HALF1=$TMP/half1.mp4
HALF2=$TMP/half2.mp4
head -c "$BYTES" /dev/urandom >"$FILE"
head -c "$((BYTES / 2))" /dev/urandom >"$HALF1"
head -c "$((BYTES / 2))" /dev/urandom >"$HALF2"

verdict() { awk "BEGIN { print ($1) ? \"PASS\" : \"FAIL\" }"; }

# Uploads under GNU time; sets SECS (wall) and RSS_MB (peak).
upload() { # mp4u upload arguments...
    /usr/bin/time -v -o "$TMP/time.out" \
        "$MP4U" --config "$CONFIG" upload "$@" >"$TMP/mp4u.out" 2>"$TMP/mp4u.err" ||
        die "mp4u upload $* failed: $(cat "$TMP/mp4u.err")"
    grep -q "^$URL/" "$TMP/mp4u.out" || die "mp4u upload printed no link: $(cat "$TMP/mp4u.out")"
    local wall kb
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$TMP/time.out")
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TMP/time.out")
    [[ -n $wall && $kb =~ ^[0-9]+$ ]] || die "unexpected /usr/bin/time output: $(cat "$TMP/time.out")"
    SECS=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
    RSS_MB=$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb * 1024 / 1e6 }')
}

# A limit as bytes a second, as mp4u reads it (decimal K, M).
bytes_of() {
    awk -v r="$1" 'BEGIN { m = 1; u = substr(r, length(r))
        if (u == "K") m = 1e3; else if (u == "M") m = 1e6; else if (u == "G") m = 1e9
        if (m > 1) r = substr(r, 1, length(r) - 1); printf "%d", r * m }'
}

report() { # LABEL LIMIT BYTES
    local limit_bps rate ratio
    limit_bps=$(bytes_of "$2")
    rate=$(awk -v b="$3" -v s="$SECS" 'BEGIN { printf "%.0f", b / s }')
    ratio=$(awk -v r="$rate" -v l="$limit_bps" 'BEGIN { printf "%.3f", r / l }')
    printf '  %-28s %6.2f s  %9s B/s  limit %9s B/s  ratio %s (0.85..1.15) %s  peak RSS %s MB\n' \
        "$1" "$SECS" "$rate" "$limit_bps" "$ratio" \
        "$(verdict "$ratio >= 0.85 && $ratio <= 1.15")" "$RSS_MB"
    RSS_ALL+=("$RSS_MB")
}

echo "bandwidth limit over loopback ($URL), $SIZE_MB MB files"
RSS_ALL=()
upload "$FILE"
RSS_FREE=$RSS_MB
printf '  %-28s %6.2f s  (no limit)  peak RSS %s MB\n' "one file, no limit" "$SECS" "$RSS_MB"
for limit in $LIMITS; do
    upload --bwlimit "$limit" "$FILE"
    report "one file, --bwlimit $limit" "$limit" "$BYTES"
done
upload --bwlimit 2M --parallel 2 "$HALF1" "$HALF2"
report "two halves at once, 2M" 2M "$BYTES"

max=$(printf '%s\n' "${RSS_ALL[@]}" | sort -g | tail -1)
growth=$(awk -v m="$max" -v f="$RSS_FREE" 'BEGIN { printf "%.1f", m - f }')
printf '  peak RSS limited %s MB (floor <= %s MB) %s; over the unlimited upload %s MB (floor <= %s MB) %s\n' \
    "$max" "$RSS_FLOOR_MB" "$(verdict "$max <= $RSS_FLOOR_MB")" \
    "$growth" "$GROWTH_FLOOR_MB" "$(verdict "$growth <= $GROWTH_FLOOR_MB")"
exit 0
