#!/usr/bin/env bash
# The cluster broadcast benchmark: Herald nodes on one Redis, receivers spread over them, one
# broadcast emitted on the first node and carried to the others by the Redis adapter.
#
#   herald-bench/cluster.sh [--clients 3000] [--rounds 30] [--warmup-rounds 20] [--reps 1]
#                           [--configs single,1,2,3] [--no-build]
#
# Each config runs with fresh processes:
#   single  one node with the in-memory adapter (no Redis): the reference
#   1       one node with the Redis adapter (it publishes every broadcast, nobody else listens)
#   2, 3    that many nodes on one Redis, the clients round robin over them
#   static, dynamic
#           3 nodes on a 3-master Redis Cluster with the sharded adapter in that subscription mode
# Every node and redis-server run on CPU 0 (taskset -c 0), the load generator on CPU 1, as in
# run.sh. One JSON line per run goes to herald-bench/target/cluster-results.jsonl, a table to stdout.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
OUT="$BENCH/target"
CLIENTS=3000 ROUNDS=30 WARMUP=20 REPS=1 CONFIGS=single,1,2,3 BUILD=1

die() { echo "cluster.sh: $*" >&2; exit 1; }
say() { echo "cluster.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup-rounds) WARMUP=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --configs) CONFIGS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'; try --help" ;;
  esac
done
IFS=, read -r -a config_list <<< "$CONFIGS"
for c in "${config_list[@]}"; do
  case "$c" in single|1|2|3|4|5|static|dynamic) ;; *) die "unknown config '$c' (single, 1 … 5, static, dynamic)" ;; esac
done

# The JDK ./herald itself would use: JAVA_HOME if it is a JDK 21+, else the newest under /usr/lib/jvm.
JAVA_HOME=$("$ROOT/herald" jdk) || die "no JDK 21+ found; set JAVA_HOME"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
# JDK 24+ only: JDK 21 refuses the flag.
if java --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
for t in taskset redis-server mvn python3; do command -v $t >/dev/null || die "$t is needed"; done
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs: the servers on CPU 0, the generator on CPU 1"

SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:-"-Xms64m -Xmx1g -XX:+UseG1GC"}
GEN_JVM_FLAGS=${GEN_JVM_FLAGS:-"-Xms1g -Xmx1g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED"}

if [ "$BUILD" = 1 ]; then
  say "building herald-bench (mvn package -am, tests skipped)"
  (cd "$ROOT" && mvn -B -q -pl herald-bench -am -DskipTests package) || die "build failed"
fi
CP="$(ls "$BENCH"/target/herald-bench-*.jar | grep -v -e sources -e tests | head -n 1):$BENCH/target/lib/*"
mkdir -p "$OUT/logs"
RESULTS="$OUT/cluster-results.jsonl"
: > "$RESULTS"

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  PIDS=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# Ports above the kernel's ephemeral range (32768-60999), as run.sh.
NEXT_PORT=$((61000 + RANDOM % 4000))
next_port() { NEXT_PORT=$((NEXT_PORT + 1)); PORT=$NEXT_PORT; }

start_redis() {
  local try
  for try in 1 2 3 4 5; do
    next_port
    taskset -c 0 redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no \
        --daemonize no > "$OUT/logs/cluster-redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 50); do
      grep -q "Ready to accept connections" "$OUT/logs/cluster-redis.log" && { PIDS+=("$REDIS_PID"); REDIS_PORT=$PORT; return; }
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$REDIS_PID" 2>/dev/null || true
  done
  die "redis-server did not start (see $OUT/logs/cluster-redis.log)"
}

# start_redis_cluster: 3 masters on CPU 0, joined with redis-cli; sets CLUSTER_URI and REDIS_PID
# (their pids, comma-separated). Each node gets its bus port from next_port too (cluster-port),
# since port + 10000 would leave the port range.
start_redis_cluster() {
  local i port bus log pids=() addrs=()
  for i in 1 2 3; do
    next_port; port=$PORT; next_port; bus=$PORT
    mkdir -p "$OUT/logs/cluster-node$i" && rm -f "$OUT/logs/cluster-node$i/nodes.conf"
    log="$OUT/logs/cluster-redis$i.log"
    taskset -c 0 redis-server --port "$port" --cluster-port "$bus" --dir "$OUT/logs/cluster-node$i" \
        --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf --save "" --appendonly no \
        --daemonize no > "$log" 2>&1 &
    pids+=("$!"); PIDS+=("$!"); addrs+=("127.0.0.1:$port")
    for _ in $(seq 1 50); do grep -q "Ready to accept connections" "$log" && break; sleep 0.1; done
    grep -q "Ready to accept connections" "$log" || die "a cluster node did not start (see $log)"
  done
  redis-cli --cluster create "${addrs[@]}" --cluster-yes > "$OUT/logs/cluster-create.log" 2>&1 \
      || die "redis-cli --cluster create failed (see $OUT/logs/cluster-create.log)"
  for _ in $(seq 1 100); do
    redis-cli -p "${addrs[0]#*:}" cluster info | grep -q "cluster_state:ok" && break
    sleep 0.1
  done
  CLUSTER_URI="redis://${addrs[0]}"
  REDIS_PID=$(IFS=,; echo "${pids[*]}")
}

# start_node LOG [--redis URI | --redis-cluster URI --mode M]: one node on CPU 0; sets NODE_PORT and NODE_PID.
start_node() {
  local log=$1; shift
  local try
  for try in 1 2 3; do
    next_port
    set -f
    # shellcheck disable=SC2086
    taskset -c 0 java $SERVER_JVM_FLAGS -cp "$CP" dev.herald.bench.ClusterBenchServer --port "$PORT" "$@" > "$log" 2>&1 &
    NODE_PID=$!
    set +f
    for _ in $(seq 1 600); do
      if grep -q "^LISTENING" "$log"; then PIDS+=("$NODE_PID"); NODE_PORT=$PORT; return; fi
      kill -0 "$NODE_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$NODE_PID" 2>/dev/null || true
    grep -q "BindException\|Address already in use" "$log" || { cat "$log" >&2; die "a node died at start"; }
  done
  die "no free port for a node (see $log)"
}

RUN=0
run_config() {
  local config=$1 n redis_args=() ports=() pids=()
  RUN=$((RUN + 1))
  case "$config" in
    single) n=1 ;;
    static|dynamic) n=3; start_redis_cluster; redis_args=(--redis-cluster "$CLUSTER_URI" --mode "$config") ;;
    *) n=$config; start_redis; redis_args=(--redis "redis://127.0.0.1:$REDIS_PORT") ;;
  esac
  local i
  for i in $(seq 1 "$n"); do
    start_node "$OUT/logs/cluster-run$RUN-$config-node$i.log" "${redis_args[@]}"
    ports+=("$NODE_PORT"); pids+=("$NODE_PID")
  done
  say "run $RUN: config $config, $CLIENTS clients on ${#ports[@]} node(s)"
  local line
  line=$(timeout 900 taskset -c 1 java $GEN_JVM_FLAGS -cp "$CP" dev.herald.bench.load.ClusterBroadcast \
      --ports "$(IFS=,; echo "${ports[*]}")" --server-pids "$(IFS=,; echo "${pids[*]}")" \
      --redis-pid "${REDIS_PID:-0}" --label "$config" --clients "$CLIENTS" --rounds "$ROUNDS" \
      --warmup-rounds "$WARMUP" --source-offset $(( (RUN * 4) % 248 )) \
      2> "$OUT/logs/cluster-run$RUN-$config.generator.log" | tail -n 1) || true
  cleanup
  REDIS_PID=0
  [[ "$line" == "{"* ]] || line="{\"label\":\"$config\",\"ok\":false,\"error\":\"no result; see $OUT/logs\"}"
  echo "$line" >> "$RESULTS"
  echo "$line" >&2
}

REDIS_PID=0
for rep in $(seq 1 "$REPS"); do
  for c in "${config_list[@]}"; do run_config "$c"; done
done

echo
echo "cluster broadcast · $CLIENTS clients · $ROUNDS rounds after $WARMUP warm-up · $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) CPUs · $(java -version 2>&1 | head -n 1) · $(redis-server --version | cut -d' ' -f1-3)"
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print()
print("| config | nodes | trigger → last p50 | → last p99 | → first p50 | last on node 0 / 1 / 2 (p50) | server CPU per broadcast | Redis CPU per broadcast | load avg | ok |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    if "last_p50_ms" not in r:
        print(f"| {r.get('label')} | | | | | | | | | {r.get('error', 'failed')} |")
        continue
    n = r["nodes"]
    redis_ms = r.get("redis_cpu_ms_per_round", -1)
    redis = "–" if redis_ms < 0 else f"{redis_ms:.2f} ms"
    per_node = " / ".join(f"{r[f'node{i}_last_p50_ms']:.1f}" for i in range(n))
    ok = "yes" if r.get("ok") and not r.get("saturated") else ("saturated" if r.get("saturated") else "no")
    print(f"| {r['label']} | {n} | {r['last_p50_ms']:.1f} ms | {r['last_p99_ms']:.1f} ms | {r['first_p50_ms']:.2f} ms | {per_node} ms | {r['server_cpu_ms_per_round']:.1f} ms | {redis} | {r.get('loadavg', -1):.1f} | {ok} |")
PY
