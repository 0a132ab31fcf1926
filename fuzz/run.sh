#!/usr/bin/env bash
# Fuzzes the geodata loader and the treaty rule parser, with the assembly behind both (cargo fuzz,
# libFuzzer). `make fuzz` runs it.
#
#   fuzz/run.sh [run] [TARGET...]   fuzz each target (default: geodata rules, side by side)
#   fuzz/run.sh seed                rebuild corpus/ from the fixture world, the bad-input corpus
#                                   and the real treaties (seed.py), minimised
#   fuzz/run.sh merge [TARGET...]   fold what a run found (work/TARGET) into corpus/, minimised
#
# Environment:
#   FUZZ_SECONDS     seconds per target (default 600), passed as -max_total_time
#   FUZZ_KEEP_GOING  1: go on after a crash (libFuzzer -fork=1 -ignore_crashes=1 ...), so that one
#                    run reports every crash it finds (default 0: stop at the first one)
#   FUZZ_SANITIZER   cargo fuzz --sanitizer (default none: the fuzzed code is safe Rust, and
#                    without ASan it runs about twice as fast); address for the unsafe-code hunt
#   FUZZ_TIMEOUT     seconds before one input counts as a hang (default 10)
#   FUZZ_MAX_LEN     largest input in bytes (default 16384)
#   FUZZ_CORPUS_MAX_LEN  inputs kept in corpus/ by seed and merge are cut to this many bytes
#                    (default 4096), so that the committed corpus stays small (< 2 MB)
#   FUZZ_SERIAL      1: run the targets one after the other instead of side by side
#
# dict/TARGET.dict holds the tokens libFuzzer splices in (keys, geometry types, inf/nan, ...).
#
# Crashes land in fuzz/artifacts/TARGET/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")"

# cargo fuzz passes nightly-only flags; the stable toolchain accepts them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
SECONDS_PER=${FUZZ_SECONDS:-600}
SANITIZER=${FUZZ_SANITIZER:-none}
TIMEOUT=${FUZZ_TIMEOUT:-10}
MAX_LEN=${FUZZ_MAX_LEN:-16384}
CORPUS_MAX_LEN=${FUZZ_CORPUS_MAX_LEN:-4096}
ALL=(geodata rules)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz (a few minutes, once)" >&2
    cargo install cargo-fuzz --locked
fi

cmd=run
case "${1:-}" in
    run | seed | merge) cmd=$1; shift ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")

# merge_into DEST SRC...: DEST becomes a minimal corpus covering DEST and every SRC.
merge_into() {
    local t=$1 dest=$2
    shift 2
    local tmp
    tmp=$(mktemp -d work/merge-XXXXXX)
    cargo fuzz run -s "$SANITIZER" "$t" "$tmp" "$dest" "$@" -- \
        -merge=1 -set_cover_merge=1 -max_len="$CORPUS_MAX_LEN" -timeout="$TIMEOUT" -rss_limit_mb=4096 >"work/merge-$t.log" 2>&1 || {
        tail -20 "work/merge-$t.log" >&2
        rm -rf "$tmp"
        return 1
    }
    rm -rf "$dest"
    mv "$tmp" "$dest"
    echo "fuzz: corpus/$t: $(find "$dest" -type f | wc -l) inputs, $(du -sh "$dest" | cut -f1)" >&2
}

mkdir -p work
case $cmd in
    seed)
        rm -rf work/seeds
        python3 seed.py work/seeds
        cargo fuzz build -s "$SANITIZER"
        for t in "${targets[@]}"; do
            mkdir -p "corpus/$t"
            merge_into "$t" "corpus/$t" "work/seeds/$t"
        done
        exit 0
        ;;
    merge)
        cargo fuzz build -s "$SANITIZER"
        for t in "${targets[@]}"; do
            mkdir -p "work/$t"
            merge_into "$t" "corpus/$t" "work/$t"
        done
        exit 0
        ;;
esac

cargo fuzz build -s "$SANITIZER"
extra=()
if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
    extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
pids=()
for t in "${targets[@]}"; do
    mkdir -p "work/$t" "corpus/$t" "artifacts/$t"
    log="work/$t.log"
    echo "fuzz: $t for ${SECONDS_PER}s (log: fuzz/$log)" >&2
    # new inputs go to work/TARGET; corpus/ (committed) is only read
    cargo fuzz run -s "$SANITIZER" "$t" "work/$t" "corpus/$t" -- \
        -dict="$PWD/dict/$t.dict" -max_total_time="$SECONDS_PER" -timeout="$TIMEOUT" -max_len="$MAX_LEN" \
        -rss_limit_mb=4096 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 &
    pids+=($!)
    if [ "${FUZZ_SERIAL:-0}" = 1 ]; then
        wait "${pids[-1]}" || true
    fi
done
for p in "${pids[@]}"; do wait "$p" || true; done

status=0
for t in "${targets[@]}"; do
    log="work/$t.log"
    echo "fuzz: $t: $(grep -aE 'Done [0-9]+ runs|INFO: fuzzed for' "$log" | tail -1)" >&2
    if grep -aqE 'panicked at|deadly signal|ERROR: libFuzzer|crash-[0-9a-f]{40}' "$log"; then
        echo "fuzz: $t FOUND A CRASH: see fuzz/$log and fuzz/artifacts/$t/" >&2
        grep -a -m5 -A1 'panicked at' "$log" >&2 || true
        status=1
    fi
done
exit $status
