#!/usr/bin/env bash
# Runs the official Engine.IO protocol suite (socketio/engine.io-protocol, test-suite/) against
# Herald's EngineIoFixture.
#
#   scripts/engineio-suite.sh /path/to/engine.io-protocol/test-suite [port]
#
# The suite directory must already have its node_modules (npm ci). The suite talks to
# localhost:3000; with another port, its URL line is expected to read process.env.EIO_PORT.
set -euo pipefail
SUITE=${1:?usage: $0 SUITE_DIR [PORT]}
PORT=${2:-3000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -B -q -pl herald-examples -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
java -cp "herald-examples/target/classes:$(cat herald-examples/target/classpath.txt)" \
    dev.herald.examples.fixtures.EngineIoFixture --port "$PORT" &
FIXTURE=$!
trap 'kill $FIXTURE 2>/dev/null; wait $FIXTURE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
cd "$SUITE"
EIO_PORT=$PORT npx mocha test-suite.js
