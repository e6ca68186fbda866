#!/usr/bin/env bash
# How long a completion helper takes to answer when no cluster look-up is involved (subcommands, flags,
# clap's possible values): the time between pressing TAB and seeing candidates, minus kubectl's own part.
# Budget: under 5 ms per answer, release build. Not a test: run it by hand.
#
#   bench/completion.sh            # 500 runs of each case
#   RUNS=2000 bench/completion.sh
#
# hyperfine is not assumed: a plain loop timed with `date +%s%N`, per-call mean, loop overhead included
# (the cost of starting /bin/true is printed for comparison).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-500}
budget_us=5000

cargo build --release -p upgrade-plugins --bins --quiet
bin=target/release

# Time `runs` calls of a command; prints the mean in microseconds. Empty PATH: nothing can be looked up.
mean_us() {
    local start end
    start=$(date +%s%N)
    for ((i = 0; i < runs; i++)); do
        PATH= "$@" >/dev/null
    done
    end=$(date +%s%N)
    echo $(((end - start) / runs / 1000))
}

# Sanity: the helper answers what we think it answers.
[ "$(PATH= "$bin/kubectl_complete-exastro_upgrade" run --st)" = $'--stop\tWhat to stop during the upgrade\n:4' ] || {
    echo "unexpected answer from kubectl_complete-exastro_upgrade run --st" >&2
    exit 2
}

status=0
printf '%-62s %10s\n' "case ($runs runs each)" "mean"
printf '%-62s %8s us\n' "/bin/true (process start baseline)" "$(mean_us /bin/true)"
while IFS='|' read -r helper words; do
    read -ra argv <<<"$words"
    [ "${words: -1}" = " " ] && argv+=("")
    us=$(mean_us "$bin/$helper" "${argv[@]}")
    verdict=ok
    if [ "$us" -ge "$budget_us" ]; then verdict="OVER ${budget_us} us"; status=1; fi
    printf '%-62s %8s us  %s\n' "$helper ${words}" "$us" "$verdict"
done <<'CASES'
kubectl_complete-exastro_upgrade|run --st
kubectl_complete-exastro_upgrade|
kubectl_complete-exastro_upgrade|run --stop 
kubectl_complete-exastro_upgrade|run -f 
oc_complete-3scale_upgrade|patch-images --component amp-system,amp-
CASES
exit $status
