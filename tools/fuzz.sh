#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ in build-fuzz/ (clang, ASan+UBSan)
# and runs each for SECONDS (default 12), from a corpus seeded with the
# samples, the styles and fuzz/seeds/. Prints each target's executions and
# coverage; exits 1 when a target found a crash, a hang (-timeout), an
# out-of-memory (-rss_limit_mb) or a sanitizer report.
#
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# TARGET: fuzz_front_matter fuzz_article fuzz_style fuzz_issue fuzz_render fuzz_ingest fuzz_cff
# (default: all). The corpora grow in fuzz/corpus/TARGET/ (not committed);
# a finding is written to build-fuzz/findings/TARGET-crash-… (or -timeout-,
# -oom-, -leak-) and its log to build-fuzz/logs/TARGET.log. Reproduce one
# with build-fuzz/TARGET FILE. Needs clang-14 and libclang-rt-14-dev
# (.ci/run installs them). FUZZ_SEED=N fixes libFuzzer's random seed (CI
# sets it, so that its short run takes the same path every time).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-12}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2; }
shift || true
all=(fuzz_front_matter fuzz_article fuzz_style fuzz_issue fuzz_render fuzz_ingest fuzz_cff)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

build=build-fuzz
if [ ! -f $build/CMakeCache.txt ]; then
    CC=clang-14 CXX=clang++-14 cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGALLEY_FUZZ=ON
fi
echo '*' > $build/.gitignore  # a build folder; not in the repository's .gitignore
cmake --build $build --target "${targets[@]}"

# Corpora: the committed seeds and the project's own inputs, copied in
# without replacing what earlier runs found.
seed() {  # seed TARGET FILE...
    local dir=fuzz/corpus/$1
    shift
    mkdir -p "$dir"
    cp -n "$@" "$dir"/ 2>/dev/null || true
}
front_matter_of() {  # the lines between an article's two '---' fences
    awk 'NR == 1 { next } /^---[ \t\r]*$/ { exit } { print }' "$1"
}
for t in "${targets[@]}"; do
    mkdir -p fuzz/corpus/$t
    [ -d fuzz/seeds/$t ] && seed $t fuzz/seeds/$t/*
    case $t in
        fuzz_article | fuzz_render) seed $t samples/articles/*.md tests/data/articles/*.md ;;
        fuzz_style) seed $t styles/*.yaml ;;
        fuzz_issue) seed $t samples/*.yaml tests/data/issues/*.yaml ;;
        fuzz_ingest) seed $t tests/data/ingest/*.txt $(find tests/data/ingest -name '*.html' -size -64k) ;;
        fuzz_front_matter)
            for a in samples/articles/*.md; do
                f=fuzz/corpus/$t/$(basename "$a" .md).yaml
                [ -e "$f" ] || front_matter_of "$a" > "$f"
            done ;;
    esac
done

# Each target's dictionary: the YAML tokens and those of what it reads.
mkdir -p $build/dict $build/logs $build/findings
dict_parts() {
    case $1 in
        fuzz_front_matter) echo yaml front_matter ;;
        fuzz_article | fuzz_render) echo yaml front_matter markdown ;;
        fuzz_style) echo yaml style ;;
        fuzz_issue) echo yaml issue ;;
        fuzz_ingest) echo ingest ;;
    esac
}
# Inputs a target reads at most: a render is bounded (fuzz_render.cpp
# skips larger inputs), the parsers take any sample whole.
max_len() { [ "$1" = fuzz_render ] && echo 8192 || echo 16384; }

symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
if [ -x $symbolizer ]; then export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$symbolizer}; fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tools/lsan.supp:print_suppressions=0}

failed=()
total_execs=0
printf '%-18s %12s %10s %8s %8s %8s  %s\n' target executions exec/s cov ft corpus result
for t in "${targets[@]}"; do
    dict=$build/dict/$t.dict
    : > "$dict"
    for part in $(dict_parts $t); do cat fuzz/$part.dict >> "$dict"; done
    log=$build/logs/$t.log
    status=0
    seed_arg=()
    [ -z "${FUZZ_SEED:-}" ] || seed_arg=(-seed="$FUZZ_SEED")
    [ -s "$dict" ] && seed_arg+=(-dict="$dict")  # fuzz_cff reads binary: no dictionary
    # Standard input from /dev/null: nothing under test may wait on it.
    $build/$t -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len="$(max_len $t)" \
        -artifact_prefix="$build/findings/$t-" -print_final_stats=1 \
        "${seed_arg[@]}" fuzz/corpus/$t < /dev/null > "$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
    result=ok
    if [ $status -ne 0 ]; then
        result="FAILED (exit $status): $(grep -m1 -oE 'ERROR: [A-Za-z]+: [^ ]+( [^ ]+)?|Test unit written to .*' "$log" || echo 'see log')"
        failed+=("$t")
    fi
    total_execs=$((total_execs + ${execs:-0}))
    printf '%-18s %12s %10s %8s %8s %8s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
echo "fuzz.sh: $total_execs executions in all, ${seconds}s per target"
if ((${#failed[@]})); then
    for t in "${failed[@]}"; do
        echo "=== $t: $build/logs/$t.log (last 60 lines)" >&2
        tail -60 "$build/logs/$t.log" >&2
    done
    echo "fuzz.sh: findings in ${failed[*]}; inputs in $build/findings/" >&2
    exit 1
fi
