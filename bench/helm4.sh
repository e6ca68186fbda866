#!/usr/bin/env bash
# What the helm 4 path costs: `kubectl exastro-upgrade run` on the same cluster installed by helm 3 (client-side)
# and by helm 4 (server-side: one more `helm get metadata` in the preflight and the server-side dry-run apply of
# helm's rendering in the record step). Real kubectl against the fake API server at 50 ms per request, the
# demo's durations, median of RUNS (default 3) per case. Not a test: run it by hand.
#
#   bench/helm4.sh                 # 5 and 18 backyards
#   BACKYARDS="18" RUNS=5 bench/helm4.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
cargo build --quiet --workspace
built=$PWD/target/debug
real_kubectl=$(command -v kubectl)

# One run on a fresh cluster; prints its wall time in ms.
one_run() {
  local helm=$1 backyards=$2 work
  work=$(mktemp -d)
  mkdir -p "$work/bin" "$work/state"
  for tool in helm oc; do ln -s "$built/fakecluster" "$work/bin/$tool"; done
  ln -s "$built/kubectl-exastro_upgrade" "$work/bin/kubectl-exastro_upgrade"
  (
    export FAKE_CLUSTER_DIR=$work FAKE_REAL_KUBECTL=$real_kubectl KUBECONFIG=$work/kubeconfig
    export XDG_STATE_HOME=$work/state KUBECACHEDIR=$work/kube-cache PATH=$work/bin:$PATH
    "$built/fakecluster" init exastro --backyards "$backyards" --helm "$helm" --dir "$work" >/dev/null
    "$built/fakecluster" config --dir "$work" --latency-ms 50 --helm-upgrade-ms 1500 --migration-ms 2000 \
      --rollout-ms 800 --terminate-ms 500
    "$built/fakecluster" serve --dir "$work" --parent $$ >"$work/serve.log" 2>&1 &
    for _ in $(seq 100); do [ -f "$work/api.addr" ] && break; sleep 0.05; done
    cd "$work"
    start=$(date +%s%N)
    kubectl-exastro_upgrade run --yes -n exastro >/dev/null 2>"$work/run.log" || { cat "$work/run.log" >&2; exit 1; }
    echo $((($(date +%s%N) - start) / 1000000))
    kill %1 2>/dev/null || true
  )
  rm -rf "$work"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-12s %-8s %s\n' backyards helm "median of $runs (s)"
for backyards in ${BACKYARDS:-5 18}; do
  for helm in 3 4; do
    ms=$(for ((i = 0; i < runs; i++)); do one_run "$helm" "$backyards"; done | median)
    printf '%-12s %-8s %d.%03d\n' "$backyards" "$helm" $((ms / 1000)) $((ms % 1000))
  done
done
