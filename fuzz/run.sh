#!/usr/bin/env bash
# fuzz/run.sh: builds the libFuzzer targets with clang and runs each for a
# bounded time (make fuzz). See fuzz/README.md.
#
#   fuzz/run.sh                 # every harness, FUZZ_SECONDS each (default 60)
#   fuzz/run.sh csv query       # some of them
#   fuzz/run.sh --merge [NAME]  # maintainer: minimize the committed corpus
#
# Environment: FUZZ_SECONDS (per harness), FUZZ_BUILD (default build-fuzz),
# FUZZ_JOBS (build jobs). Each harness starts from the committed corpus
# (fuzz/corpus/NAME) and the inputs of earlier runs ($FUZZ_BUILD/corpus/NAME,
# where new ones go). A crash, a leak, a sanitizer report, a broken invariant
# or an input slower than 10 s leaves the input in $FUZZ_BUILD/artifacts/ and
# makes the run fail. The summary gives, per harness, the executions, their
# rate, the coverage (cov: edges, ft: features) and the corpus size.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
ALL=(csv import body date query)

declare -A MAX_LEN=([csv]=10000 [import]=20000 [body]=8192 [date]=64 [query]=8192)

merge=0
if [ "${1:-}" = "--merge" ]; then
  merge=1
  shift
fi
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${ALL[@]}")
for n in "${names[@]}"; do
  [[ " ${ALL[*]} " == *" $n "* ]] || { echo "fuzz/run.sh: no harness '$n' (${ALL[*]})" >&2; exit 2; }
done

fuzz/setup.sh
cmake -S . -B "$FUZZ_BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOSO_FUZZ=ON -DCOSO_TESTS=OFF -DCOSO_SANITIZE=OFF >/dev/null
cmake --build "$FUZZ_BUILD" -j "$FUZZ_JOBS" --target "${names[@]/#/fuzz_}" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ $merge = 1 ]; then
  # The committed corpus becomes: the hand-written seeds and the inputs of
  # bugs, plus a small set of found inputs that covers every edge (not every
  # counter: a few dozen files, not thousands) of everything found so far.
  for n in "${names[@]}"; do
    bin="$FUZZ_BUILD/fuzz/fuzz_$n"
    new=$(mktemp -d)
    mkdir -p "$FUZZ_BUILD/corpus/$n"
    cp fuzz/corpus/"$n"/seed-* fuzz/corpus/"$n"/bug-* "$new"/ 2>/dev/null || true
    "$bin" -set_cover_merge=1 -use_counters=0 -max_len="${MAX_LEN[$n]}" "$new" \
      fuzz/corpus/"$n" "$FUZZ_BUILD/corpus/$n" 2>"$FUZZ_BUILD/merge-$n.log" || {
      tail -20 "$FUZZ_BUILD/merge-$n.log" >&2
      exit 1
    }
    rm -f fuzz/corpus/"$n"/*
    cp "$new"/* fuzz/corpus/"$n"/
    rm -rf "$new"
    echo "fuzz/corpus/$n: $(ls fuzz/corpus/"$n" | wc -l) files, $(du -sk fuzz/corpus/"$n" | cut -f1) KiB"
  done
  exit 0
fi

mkdir -p "$FUZZ_BUILD/artifacts" "$FUZZ_BUILD/logs"
failed=()
summary=()
for n in "${names[@]}"; do
  bin="$FUZZ_BUILD/fuzz/fuzz_$n"
  log="$FUZZ_BUILD/logs/$n.log"
  mkdir -p "$FUZZ_BUILD/corpus/$n"
  echo "fuzz: $n for ${FUZZ_SECONDS} s (log: $log)"
  set +e
  dict=()
  [ -f "fuzz/dict/$n.dict" ] && dict=(-dict="fuzz/dict/$n.dict")
  "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len="${MAX_LEN[$n]}" \
    "${dict[@]}" -use_value_profile=1 -print_final_stats=1 \
    -artifact_prefix="$FUZZ_BUILD/artifacts/$n-" \
    "$FUZZ_BUILD/corpus/$n" "fuzz/corpus/$n" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  verdict=ok
  if [ $rc -ne 0 ]; then
    verdict="FAILED (exit $rc)"
    failed+=("$n")
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|artifact_prefix|Test unit written)" "$log" | head -8 >&2 || true
  fi
  summary+=("$(printf '%-7s %10s %8s %7s %7s %14s %8s  %s' "$n" "${runs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "${rss:-?}" "$verdict")")
done

echo
printf '%-7s %10s %8s %7s %7s %14s %8s  %s\n' harness runs exec/s cov ft corpus rss_mb result
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${failed[*]} failed; the inputs are in $FUZZ_BUILD/artifacts/ (replay one with $FUZZ_BUILD/fuzz/fuzz_NAME FILE)" >&2
  exit 1
fi
echo "fuzz: no crash in ${#names[@]} harness(es), ${FUZZ_SECONDS} s each"
