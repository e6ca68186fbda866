#!/usr/bin/env bash
# What maintenance mode costs (Exastro 2.6 -> 2.7, charts 1.6.8 -> 1.7.5, 18 backyards, every Deployment and
# StatefulSet stopped): `kubectl exastro-upgrade run` with `--maintenance-mode auto` (the vendor's procedure:
# port-forward, GETs, three PATCHes, the drain) against `--maintenance-mode off` (the same stop without it), no job
# running so the drain itself costs nothing; and the time from starting `kubectl port-forward svc/platform-auth`
# to its "Forwarding from" line. Real kubectl against the fake API server at LATENCY_MS per request (default 50),
# the demo's durations, median of RUNS (default 3). Not a test: run it by hand.
#
#   bench/maintenance.sh
#   RUNS=5 LATENCY_MS=0 bench/maintenance.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
latency=${LATENCY_MS:-50}
cargo build --quiet --workspace
built=$PWD/target/debug
real_kubectl=$(command -v kubectl)

# A fresh 2.6 cluster in $work with its API server; runs "$@" in it and prints the wall time in ms.
timed_in_cluster() {
  local work
  work=$(mktemp -d)
  mkdir -p "$work/bin" "$work/state"
  for tool in helm oc; do ln -s "$built/fakecluster" "$work/bin/$tool"; done
  ln -s "$built/kubectl-exastro_upgrade" "$work/bin/kubectl-exastro_upgrade"
  (
    export FAKE_CLUSTER_DIR=$work FAKE_REAL_KUBECTL=$real_kubectl KUBECONFIG=$work/kubeconfig
    export XDG_STATE_HOME=$work/state KUBECACHEDIR=$work/kube-cache PATH=$work/bin:$PATH
    "$built/fakecluster" init exastro --installed 1.6.8 --available 1.7.5 --dir "$work" >/dev/null
    "$built/fakecluster" config --dir "$work" --latency-ms "$latency" --helm-upgrade-ms 1500 --migration-ms 2000 \
      --rollout-ms 800 --terminate-ms 500
    "$built/fakecluster" serve --dir "$work" --parent $$ >"$work/serve.log" 2>&1 &
    for _ in $(seq 100); do [ -f "$work/api.addr" ] && break; sleep 0.05; done
    cd "$work"
    start=$(date +%s%N)
    "$@" >/dev/null 2>"$work/run.log" || { cat "$work/run.log" >&2; exit 1; }
    echo $((($(date +%s%N) - start) / 1000000))
    kill %1 2>/dev/null || true
  )
  rm -rf "$work"
}

# Starts a port-forward and returns when it says where it listens.
forward_ready() {
  local out
  out=$(mktemp)
  "$real_kubectl" port-forward svc/platform-auth :8001 -n exastro >"$out" 2>&1 &
  local pid=$!
  until grep -q '^Forwarding from 127.0.0.1:' "$out"; do
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; return 1; }
    sleep 0.01
  done
  kill "$pid"
  rm -f "$out"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

echo "Exastro 2.6 -> 2.7, 18 backyards, ${latency} ms per API request, median of $runs"
printf '%-34s %s\n' case seconds
for mode in auto off; do
  ms=$(for ((i = 0; i < runs; i++)); do
    timed_in_cluster kubectl-exastro_upgrade run --yes -n exastro --maintenance-mode "$mode"
  done | median)
  printf '%-34s %s\n' "run --maintenance-mode $mode" "$(seconds "$ms")"
done
export -f forward_ready
export real_kubectl
ms=$(for ((i = 0; i < runs; i++)); do timed_in_cluster bash -c forward_ready; done | median)
printf '%-34s %s\n' "port-forward to its first line" "$(seconds "$ms")"
