#!/usr/bin/env bash
# Herald's benchmark: every scenario against every server, side by side, in one go.
#
#   herald-bench/run.sh [--quick] [--servers herald,herald-tomcat,herald-jetty,raw,raw-batched,node,netty-socketio]
#                       [--scenarios idle,echo,broadcast,storm[,jitter]]
#                       [--reps 3] [--idle 10000,19000] [--echo-clients 100] [--pipelines 1,8]
#                       [--broadcast 10000] [--rounds 30] [--storm 10000] [--duration 10] [--warmup 10]
#                       [--jitter-clients 200] [--jitter-duration 60] [--drop 1.5,4] [--parked 1000]
#                       [--payload BYTES] [--deflate] [--echo-upgraded] [--no-build]
#
# Each run starts its server fresh, pinned to CPU 0 (taskset -c 0); the load generator runs pinned
# to CPU 1. Every JVM server gets the same flags ($SERVER_JVM_FLAGS). Results: one JSON line per run
# in herald-bench/target/results.jsonl, and a markdown table of medians (min–max) with ratios
# against Node and raw Netty on stdout and in herald-bench/target/results.md. A run where the
# generator used >= 90 % of its core is refused by the table, not averaged in.
#
# Servers: herald (dev.herald.bench.BenchServer, as ./herald bench-server), herald-tomcat and
# herald-jetty (the same app on herald-servlet in embedded Tomcat 11 / Jetty 12), raw (Netty 4.2
# WebSocket, no Socket.IO machinery, one flush per frame), raw-batched (the same, one flush per
# read; echo only), node (socket.io 4.8.x), netty-socketio (2.0.14).
#
# jitter (not in the default scenarios): receivers in one room get a numbered broadcast every
# 20 ms while each one's TCP connection is dropped every --drop MIN,MAX seconds and reopened with
# connection state recovery; herald and node only, both started with --recovery (the others have
# no recovery and are skipped).
#
# --payload BYTES: echo and broadcast send a JSON argument of that size (varying records, from a
# fixed seed) instead of the 32-character string (echo) or nothing (broadcast); netty-socketio,
# which passes on only the first argument, is skipped in broadcast then. --deflate (payload 2048
# unless given): in echo and broadcast, herald and node run twice, as they are and started with
# --per-message-deflate (labels herald+deflate, node+deflate), their clients offering
# permessage-deflate; a server that does not accept it stops the whole run. The other servers run
# without deflate only. The tables add the server's CPU µs and the bytes on the wire per ack or
# delivery, and ×off, a +deflate row's ratio to the same server without.
#
# --echo-upgraded: every echo runs once more with each client connected over polling and then
# upgraded (a handshake GET, POST 40, GET 40{...}, then 2probe/3probe/5 on a WebSocket), as
# browsers connect, and echoing on the upgraded WebSocket (its own table, "upgraded from polling");
# not for the raw servers, which speak WebSocket only.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/target"

SERVERS="herald,raw,raw-batched,node,netty-socketio"
SCENARIOS="idle,echo,broadcast,storm"
REPS=3
IDLE_SIZES="10000,19000"
ECHO_CLIENTS=100
PIPELINES="1,8"
BROADCAST_CLIENTS=10000
ROUNDS=30
STORM_CLIENTS=10000
DURATION=10
WARMUP=10
JITTER_CLIENTS=200
JITTER_DURATION=60
DROP=1.5,4
PARKED=1000
PAYLOAD=""
DEFLATE=0
ECHO_UPGRADED=0
BUILD=1

# The comment block at the top, up to the first line that is not a comment.
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit "${1:-0}"; }
die() { echo "run.sh: $*" >&2; exit 1; }
say() { echo "run.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) REPS=1; IDLE_SIZES=1000; BROADCAST_CLIENTS=500; ROUNDS=10; STORM_CLIENTS=1000
             DURATION=3; WARMUP=5 ;;
    --servers) SERVERS=$2; shift ;;
    --scenarios) SCENARIOS=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --idle) IDLE_SIZES=$2; shift ;;
    --echo-clients) ECHO_CLIENTS=$2; shift ;;
    --pipelines) PIPELINES=$2; shift ;;
    --broadcast) BROADCAST_CLIENTS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --storm) STORM_CLIENTS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --jitter-clients) JITTER_CLIENTS=$2; shift ;;
    --jitter-duration) JITTER_DURATION=$2; shift ;;
    --drop) DROP=$2; shift ;;
    --parked) PARKED=$2; shift ;;
    --payload) PAYLOAD=$2; shift ;;
    --deflate) DEFLATE=1 ;;
    --echo-upgraded) ECHO_UPGRADED=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done

IFS=, read -r -a server_list <<< "$SERVERS"
IFS=, read -r -a scenario_list <<< "$SCENARIOS"
for s in "${server_list[@]}"; do
  case "$s" in herald|herald-tomcat|herald-jetty|raw|raw-batched|node|netty-socketio) ;; *) die "unknown server '$s' (herald, herald-tomcat, herald-jetty, raw, raw-batched, node, netty-socketio)" ;; esac
done
for s in "${scenario_list[@]}"; do
  case "$s" in idle|echo|broadcast|storm|jitter) ;; *) die "unknown scenario '$s' (idle, echo, broadcast, storm, jitter)" ;; esac
done
[ "$DEFLATE" = 0 ] || [ -n "$PAYLOAD" ] || PAYLOAD=2048
[ -z "$PAYLOAD" ] || [[ "$PAYLOAD" =~ ^[0-9]+$ && "$PAYLOAD" -ge 16 ]] || die "--payload must be a number of bytes, 16 or more"
# The generator arguments for echo and broadcast with a payload.
PAYLOAD_ARGS=()
[ -z "$PAYLOAD" ] || PAYLOAD_ARGS=(--payload "$PAYLOAD")

# --- tools -------------------------------------------------------------------------------------
# The JDK ./herald itself would use: JAVA_HOME if it is a JDK 21+, else the newest under /usr/lib/jvm.
JAVA_HOME=$("$ROOT/herald" jdk) || die "no JDK 21+ found; set JAVA_HOME"
[ -x "$JAVA_HOME/bin/jcmd" ] || die "$JAVA_HOME has no jcmd, which the idle and soak readings need; set JAVA_HOME"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
# JDK 24+ only: JDK 21 refuses the flag (Maven's libraries call sun.misc.Unsafe; see below for Netty).
UNSAFE_FLAGS=""
if java --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  UNSAFE_FLAGS="--sun-misc-unsafe-memory-access=allow -Dio.netty.noUnsafe=false"
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
for t in taskset node npm mvn; do command -v $t >/dev/null || die "$t is needed"; done
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs: the server on CPU 0, the generator on CPU 1"

# Same flags for every JVM server; the generator gets its own (it allocates little, so a
# throughput collector with a fixed heap keeps its pauses out of the latencies).
# MinHeapFreeRatio/MaxHeapFreeRatio let G1 give back the heap it grew while connections were set
# up, so idle RSS shows memory held for connections rather than how much heap G1 kept committed.
# Netty 4.2 leaves sun.misc.Unsafe alone on JDK 24+ unless told, and then allocates direct
# buffers the slow way; the two Unsafe flags give every JVM server (Netty 4.1 too) its fast path.
SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:-"-Xms64m -Xmx2g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 $UNSAFE_FLAGS"}
GEN_JVM_FLAGS=${GEN_JVM_FLAGS:-"-Xms1g -Xmx1g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED"}

# --- build -------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  say "building herald-bench (mvn package -am, tests skipped)"
  (cd "$ROOT" && mvn -B -q -pl herald-bench -am -DskipTests package) || die "build failed"
  if [[ ",$SERVERS," == *",netty-socketio,"* ]]; then
    say "building the netty-socketio server (its own Maven project, Netty 4.1)"
    (cd "$BENCH/netty-socketio" && mvn -B -q -DskipTests package) || die "netty-socketio build failed"
  fi
  if [[ ",$SERVERS," == *",node,"* ]]; then
    say "npm ci in herald-bench/node"
    (cd "$BENCH/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed"
  fi
fi
BENCH_JAR=$(ls "$BENCH"/target/herald-bench-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1)
[ -n "$BENCH_JAR" ] || die "herald-bench is not built (drop --no-build)"
BENCH_CP="$BENCH_JAR:$BENCH/target/lib/*"
NSIO_CP="$( (ls "$BENCH"/netty-socketio/target/herald-bench-netty-socketio-*.jar 2>/dev/null || true) | head -n 1):$BENCH/netty-socketio/target/lib/*"

# The command that starts a server on port $2 (with the flags $3, e.g. --recovery, for herald and
# node), and how the generator collects its garbage.
server_cmd() {
  case "$1" in
    raw) echo "java $SERVER_JVM_FLAGS -cp $BENCH_CP dev.herald.bench.servers.RawNettyServer --port $2" ;;
    raw-batched) echo "java $SERVER_JVM_FLAGS -cp $BENCH_CP dev.herald.bench.servers.RawNettyServer --port $2 --batch-flush" ;;
    netty-socketio) echo "java $SERVER_JVM_FLAGS -cp $NSIO_CP dev.herald.bench.servers.NettySocketIoServer --port $2" ;;
    node) echo "node --expose-gc $BENCH/node/server.js --port $2 ${3:-}" ;;
    # What ./herald bench-server runs, without its build step.
    # On NIO unless HERALD_IO says otherwise (nio, epoll, io-uring), like the raw server and
    # netty-socketio: the table compares Socket.IO machinery, not kernel interfaces.
    herald) echo "java $SERVER_JVM_FLAGS -cp $BENCH_CP dev.herald.bench.BenchServer --port $2 --io-transport ${HERALD_IO:-nio} ${3:-}" ;;
    # The same app on herald-servlet, in embedded Tomcat 11 or Jetty 12.
    herald-tomcat) echo "java $SERVER_JVM_FLAGS -cp $BENCH_CP dev.herald.bench.BenchServer --port $2 --servlet tomcat ${3:-}" ;;
    herald-jetty) echo "java $SERVER_JVM_FLAGS -cp $BENCH_CP dev.herald.bench.BenchServer --port $2 --servlet jetty ${3:-}" ;;
    *) die "unknown server '$1' (herald, herald-tomcat, herald-jetty, raw, raw-batched, node, netty-socketio)" ;;
  esac
}
server_gc() { [ "$1" = node ] && echo usr2 || echo jcmd; }

# --- one run -----------------------------------------------------------------------------------
rm -rf "$OUT/logs"; mkdir -p "$OUT/logs"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
RUN=0
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# start_server SERVER PORT LOG [FLAGS]: starts it pinned to CPU 0; 0 once it listens, 1 if it died first.
start_server() {
  # The command is split into words on purpose; no glob: the class paths end in lib/*.
  set -f
  # shellcheck disable=SC2046
  taskset -c 0 $(server_cmd "$1" "$2" "${4:-}") > "$3" 2>&1 &
  SERVER_PID=$!
  set +f
  local waited=0
  until grep -q "^LISTENING" "$3" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; return 1; }
    [ $waited -lt 300 ] || die "$1 did not listen within 30 s (see $3)"
    sleep 0.1; waited=$((waited + 1))
  done
}

# run_one LABEL SCENARIO GENERATOR-ARGS...: fresh server, one generator run, server stopped.
# LABEL is a server name, or SERVER+deflate: that server started with --per-message-deflate and
# the generator offering permessage-deflate.
run_one() {
  local label=$1 scenario=$2; shift 2
  local server=${label%%+*}
  RUN=$((RUN + 1))
  local log="$OUT/logs/run$RUN-$label-$scenario.server.log"
  local genlog="$OUT/logs/run$RUN-$label-$scenario.generator.log"
  # Ports above the kernel's ephemeral range (32768-60999), where no outgoing connection of the
  # machine can hold them; a port taken anyway (another program's server) moves on to the next.
  local port try flags="" genflags=()
  [ "$scenario" = jitter ] && flags="--recovery"
  if [ "$label" = "$server+deflate" ]; then
    flags="--per-message-deflate"
    genflags=(--deflate)
  fi
  for try in 1 2 3; do
    port=$((61000 + (RUN * 3 + try) % 4500))
    start_server "$server" "$port" "$log" "$flags" && break
    grep -q "EADDRINUSE\|Address already in use\|BindException" "$log" || { cat "$log" >&2; die "$server died at start"; }
    say "port $port is taken; trying another"
  done
  [ -n "$SERVER_PID" ] || die "$server found no free port (see $log)"
  port=$(sed -n 's/^LISTENING \([0-9]*\).*/\1/p' "$log" | head -n 1)
  say "run $RUN: $label $scenario $* ${genflags[*]}"
  local line
  # Source addresses shift by 4 per run: 5000 clients per address, so a 19 000-client run uses
  # four, and the next run does not meet the ports this one left in TIME_WAIT.
  line=$(timeout 900 taskset -c 1 java $GEN_JVM_FLAGS -cp "$BENCH_CP" dev.herald.bench.load.LoadGenerator \
      --scenario "$scenario" --port "$port" --label "$label" --server-pid "$SERVER_PID" \
      --server-gc "$(server_gc "$server")" --source-offset $(( (RUN * 4) % 248 )) --timeout 300 "$@" \
      "${genflags[@]}" 2>"$genlog" | tail -n 1) || true
  local alive=1
  kill -0 "$SERVER_PID" 2>/dev/null || alive=0
  cleanup
  if [[ "$line" != "{"* ]]; then
    line="{\"scenario\":\"$scenario\",\"label\":\"$label\",\"ok\":false,\"error\":\"generator printed no result; see $genlog\"}"
  fi
  # Without deflate the +deflate rows would measure plain frames: no table is better than that.
  if [[ "$line" == *"did not accept permessage-deflate"* ]]; then
    echo "$line" >> "$RESULTS"
    die "$label did not accept permessage-deflate (see $genlog and $log)"
  fi
  if [ $alive = 0 ]; then # the server died during the run: not a result
    line="${line%\}},\"server_died\":true}"
    line="${line//\"ok\":true/\"ok\":false}"
  fi
  echo "$line" >> "$RESULTS"
  echo "$line" >&2
}

# The labels a server runs under in echo and broadcast: with --deflate, herald and node also
# with permessage-deflate.
labels() {
  if [ "$DEFLATE" = 1 ] && { [ "$1" = herald ] || [ "$1" = node ]; }; then
    echo "$1 $1+deflate"
  else
    echo "$1"
  fi
}

for rep in $(seq 1 "$REPS"); do
  for scenario in "${scenario_list[@]}"; do
    for server in "${server_list[@]}"; do
      # Flushing once per read only changes echo, where many frames arrive in one read.
      [ "$server" = raw-batched ] && [ "$scenario" != echo ] && continue
      case "$scenario" in
        idle)
          IFS=, read -r -a sizes <<< "$IDLE_SIZES"
          for n in "${sizes[@]}"; do run_one "$server" idle --clients "$n" --hold 3; done ;;
        echo)
          IFS=, read -r -a pipes <<< "$PIPELINES"
          for p in "${pipes[@]}"; do
            for label in $(labels "$server"); do
              run_one "$label" echo --clients "$ECHO_CLIENTS" --pipeline "$p" \
                  --warmup "$WARMUP" --duration "$DURATION" "${PAYLOAD_ARGS[@]}"
            done
            # --echo-upgraded: the same echo after a polling handshake and an upgrade, as browsers
            # connect (not the raw servers, which speak WebSocket only).
            if [ "$ECHO_UPGRADED" = 1 ] && [[ "$server" != raw* ]]; then
              run_one "$server" echo --clients "$ECHO_CLIENTS" --pipeline "$p" --transport polling \
                  --warmup "$WARMUP" --duration "$DURATION" "${PAYLOAD_ARGS[@]}"
            fi
          done ;;
        broadcast)
          if [ "$server" = netty-socketio ] && [ -n "$PAYLOAD" ]; then
            say "broadcast: skipping netty-socketio with --payload (it passes on only the first argument)"
            continue
          fi
          for label in $(labels "$server"); do
            run_one "$label" broadcast --clients "$BROADCAST_CLIENTS" --rounds "$ROUNDS" "${PAYLOAD_ARGS[@]}"
          done ;;
        storm)
          run_one "$server" storm --clients "$STORM_CLIENTS" --transport websocket
          # The raw Netty server speaks WebSocket only: no polling storm for it.
          [ "$server" = raw ] || run_one "$server" storm --clients "$STORM_CLIENTS" --transport polling ;;
        jitter)
          case "$server" in
            herald|node)
              run_one "$server" jitter --clients "$JITTER_CLIENTS" --duration "$JITTER_DURATION" \
                  --drop-min "${DROP%,*}" --drop-max "${DROP#*,}" --parked "$PARKED" ;;
            *) say "jitter: skipping $server (no connection state recovery)" ;;
          esac ;;
        *) die "unknown scenario '$scenario' (idle, echo, broadcast, storm, jitter)" ;;
      esac
    done
  done
done

{
  echo "# Herald benchmark results"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ) · $(nproc) CPUs: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "· servers on CPU 0, generator on CPU 1 · $REPS repetition(s) · JVM servers: \`$SERVER_JVM_FLAGS\`"
  echo "· $(java -version 2>&1 | head -n 1) · node $(node --version)"
  echo "· load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ -z "$PAYLOAD" ] || echo "· echo and broadcast payload: $PAYLOAD bytes$([ "$DEFLATE" = 1 ] && echo ", herald and node also with permessage-deflate (+deflate)")"
  java -cp "$BENCH_CP" dev.herald.bench.load.Report "$RESULTS" --servers "$SERVERS"
} > "$OUT/results.md"
cat "$OUT/results.md"
