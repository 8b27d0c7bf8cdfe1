#!/usr/bin/env bash
# Upload benchmark: `mp4u upload` against curl doing the same two requests, on the sandbox over
# loopback.
#
#   benches/upload.sh
#
# Builds the release binary, starts `mp4u sandbox --empty` on a free port, and uploads the same
# 512 MiB file with each client, alternating, RUNS times each (after one untimed warm-up each).
# The curl side makes the two calls mp4u makes: GET /api/upload/server?key=K (the upload URL in
# `result`, the session in the top-level `sess_id`), then the multipart POST to
# <result>?upload_type=file&utype=reg with the fields sess_id, utype=reg and file_0. The sandbox
# receives both (it hashes and discards the bytes), so the comparison is fair.
#
# Then it measures mp4u's peak RSS (GNU time, "Maximum resident set size") for the 512 MiB file
# and for an 8 MiB file, and prints each figure against its floor:
#   ratio of the medians mp4u/curl <= 1.10, peak RSS <= 40 MB, RSS growth 8 MiB -> 512 MiB <= 5 MB
# (MB = 10^6 bytes). A FAIL is reported, not fatal: the script exits 0 once the report is printed,
# and non-zero only when something broke (build, sandbox, an upload failed), with the reason.
#
# Environment: RUNS (default 3) runs per client; BIG_MIB (512) and SMALL_MIB (8) file sizes.

set -euo pipefail

RUNS=${RUNS:-3}
BIG_MIB=${BIG_MIB:-512}
SMALL_MIB=${SMALL_MIB:-8}
RATIO_FLOOR=1.10
RSS_FLOOR_MB=40
GROWTH_FLOOR_MB=5

die() {
    echo "benches/upload.sh: $*" >&2
    exit 1
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# --- tools --------------------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: a Rust toolchain is needed to build mp4u"
command -v curl >/dev/null || die "curl not found (Debian package: curl)"
if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "installing GNU time (/usr/bin/time) with apt-get ..." >&2
        apt-get install -y -qq time >/dev/null ||
            die "apt-get install time failed; install the Debian package 'time' and rerun"
    else
        die "/usr/bin/time (GNU time) is needed for the peak RSS; install it: sudo apt-get install time"
    fi
fi
/usr/bin/time -v true 2>&1 | grep -q 'Maximum resident set size' ||
    die "/usr/bin/time is not GNU time (no -v 'Maximum resident set size')"

# A monotonic clock, in seconds: python3's if there is one, else date's (wall clock, ns).
if command -v python3 >/dev/null && python3 -c 'import time; time.monotonic()' 2>/dev/null; then
    now() { python3 -c 'import time; print(f"{time.monotonic():.6f}")'; }
else
    now() { date +%s.%N; }
fi

# --- build, scratch dir and the sandbox (both gone on exit) ------------------------------------
# shellcheck source=benches/common.sh
source benches/common.sh
build_mp4u
start_sandbox mp4u-bench

# The default max_upload_bytes (500 MB) would refuse a 512 MiB file: raise it. Reading this file
# (and nothing else) also keeps any user config out.
CONFIG=$TMP/bench.toml
echo 'max_upload_bytes = 4294967296' >"$CONFIG"
export MP4UPLOAD_API_URL=$URL MP4UPLOAD_API_KEY=$KEY

# --- test files ---------------------------------------------------------------------------------
BIG=$TMP/big.mp4
SMALL=$TMP/small.mp4
head -c "$((BIG_MIB * 1024 * 1024))" /dev/urandom >"$BIG"
head -c "$((SMALL_MIB * 1024 * 1024))" /dev/urandom >"$SMALL"

# --- the two clients ----------------------------------------------------------------------------
# Each prints nothing on success and fails (with the reason on stderr) otherwise.
upload_mp4u() { # FILE [wrapper...]
    local file=$1
    shift
    if ! "$@" "$MP4U" --config "$CONFIG" upload "$file" >"$TMP/mp4u.out" 2>"$TMP/mp4u.err"; then
        echo "mp4u upload failed: $(cat "$TMP/mp4u.err")" >&2
        return 1
    fi
    grep -q "^$URL/" "$TMP/mp4u.out" || {
        echo "mp4u upload printed no link: $(cat "$TMP/mp4u.out" "$TMP/mp4u.err")" >&2
        return 1
    }
}

upload_curl() { # FILE
    local file=$1 server result sess
    server=$(curl -sS --fail "$URL/api/upload/server?key=$KEY") || {
        echo "curl: upload/server failed" >&2
        return 1
    }
    # Parsed in the shell, not by another process: the sandbox's JSON is compact.
    [[ $server =~ \"result\":\"([^\"]+)\" ]] && result=${BASH_REMATCH[1]}
    [[ $server =~ \"sess_id\":\"([^\"]+)\" ]] && sess=${BASH_REMATCH[1]}
    [[ -n ${result:-} && -n ${sess:-} ]] || {
        echo "curl: unexpected upload/server reply: $server" >&2
        return 1
    }
    curl -sS --fail -o "$TMP/curl.out" \
        -F "sess_id=$sess" -F utype=reg -F "file_0=@$file;type=video/mp4" \
        "$result?upload_type=file&utype=reg" || {
        echo "curl: the upload POST failed" >&2
        return 1
    }
    grep -q '"file_status":"OK"' "$TMP/curl.out" || {
        echo "curl: upload refused: $(cat "$TMP/curl.out")" >&2
        return 1
    }
}

# CPU time of a process in clock ticks, read without forking (a fork would count itself):
# TICKS = field N + field N+1 of /proc/PID/stat; 14: utime + stime, 16: of the reaped children.
TICK=$(getconf CLK_TCK)
ticks() { # PID N
    local -a f
    read -ra f <"/proc/$1/stat"
    TICKS=$((f[$2 - 1] + f[$2]))
}

timed() { # CLIENT: prints "wall client-cpu sandbox-cpu" in seconds for one upload of BIG
    local start end c0 c1 s0 s1 me=$BASHPID
    start=$(now)
    ticks "$me" 16 && c0=$TICKS
    ticks "$SANDBOX_PID" 14 && s0=$TICKS
    "upload_$1" "$BIG" || die "$1 upload failed (see above)"
    ticks "$me" 16 && c1=$TICKS
    ticks "$SANDBOX_PID" 14 && s1=$TICKS
    end=$(now)
    awk -v s="$start" -v e="$end" -v c="$((c1 - c0))" -v sb="$((s1 - s0))" -v t="$TICK" \
        'BEGIN { printf "%.3f %.2f %.2f\n", e - s, c / t, sb / t }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

verdict() { # awk condition on nothing: prints PASS or FAIL
    awk "BEGIN { print ($1) ? \"PASS\" : \"FAIL\" }"
}

# --- speed: alternating, after one warm-up each -------------------------------------------------
echo "upload $BIG_MIB MiB over loopback ($URL), $RUNS runs each, alternating (after 1 warm-up each)"
upload_curl "$BIG" || die "curl warm-up upload failed"
upload_mp4u "$BIG" || die "mp4u warm-up upload failed"
declare -A wall cpu sandbox # per client: the runs' figures, space-separated
for i in $(seq "$RUNS"); do
    # Swap who goes first each round, so neither always follows the other.
    if ((i % 2)); then order="curl mp4u"; else order="mp4u curl"; fi
    for client in $order; do
        line=$(timed "$client")
        read -r w c s <<<"$line"
        wall[$client]+="$w "
        cpu[$client]+="$c "
        sandbox[$client]+="$s "
    done
done
# shellcheck disable=SC2086 # the run lists split into one argument per run
{
    curl_med=$(median ${wall[curl]})
    mp4u_med=$(median ${wall[mp4u]})
    ratio=$(awk -v m="$mp4u_med" -v c="$curl_med" 'BEGIN { printf "%.2f", m / c }')
    mibps() { awk -v t="$1" -v n="$BIG_MIB" 'BEGIN { printf "%.0f", n / t }'; }
    for client in curl mp4u; do
        med=$(median ${wall[$client]})
        printf '  %s   median %.2f s  %5s MiB/s   (runs: %s)\n' \
            "$client" "$med" "$(mibps "$med")" "${wall[$client]% }"
    done
    printf '  ratio mp4u/curl %s  (floor <= %s)  %s\n' \
        "$ratio" "$RATIO_FLOOR" "$(verdict "$ratio <= $RATIO_FLOOR")"
    # Steadier than wall time on a busy machine: the CPU each side spent per upload.
    printf '  cpu per upload (medians, user+sys): curl %.2f s, mp4u %.2f s\n' \
        "$(median ${cpu[curl]})" "$(median ${cpu[mp4u]})"
    printf '    and the sandbox receiving them: %.2f s from curl, %.2f s from mp4u\n' \
        "$(median ${sandbox[curl]})" "$(median ${sandbox[mp4u]})"
}

# --- memory: peak RSS of mp4u upload, the largest of RUNS runs per size -------------------------
peak_rss_mb() { # FILE: the largest "Maximum resident set size" over RUNS uploads, in MB
    local kb max=0
    for _ in $(seq "$RUNS"); do
        upload_mp4u "$1" /usr/bin/time -v -o "$TMP/time.out" ||
            die "mp4u upload of $1 under /usr/bin/time failed"
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TMP/time.out")
        [[ $kb =~ ^[0-9]+$ ]] || die "no 'Maximum resident set size' in: $(cat "$TMP/time.out")"
        if ((kb > max)); then max=$kb; fi
    done
    awk -v kb="$max" 'BEGIN { printf "%.1f", kb * 1024 / 1e6 }'
}
rss_big=$(peak_rss_mb "$BIG")
rss_small=$(peak_rss_mb "$SMALL")
growth=$(awk -v b="$rss_big" -v s="$rss_small" 'BEGIN { printf "%.1f", b - s }')
printf '  peak RSS of mp4u upload: %s MiB file %s MB, %s MiB file %s MB, growth %s MB\n' \
    "$BIG_MIB" "$rss_big" "$SMALL_MIB" "$rss_small" "$growth"
printf '    peak RSS %s MB  (floor <= %s MB)  %s\n' \
    "$rss_big" "$RSS_FLOOR_MB" "$(verdict "$rss_big <= $RSS_FLOOR_MB && $rss_small <= $RSS_FLOOR_MB")"
printf '    growth   %s MB  (floor <= %s MB)  %s\n' \
    "$growth" "$GROWTH_FLOOR_MB" "$(verdict "$growth <= $GROWTH_FLOOR_MB")"
exit 0
