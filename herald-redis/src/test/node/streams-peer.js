// A Node peer for the streams adapter tests, driven over stdin/stdout JSON lines.
//
//   node streams-peer.js server <redisUrl>   socket.io 4.8 with @socket.io/redis-streams-adapter 0.3
//                                            and connection state recovery (60 s)
//   node streams-peer.js clients             socket.io-client sockets only
//
// Clients reconnect on their own (socket.io-client's recovery); {"cmd":"retarget"} points a
// client's manager at another server for its next reconnection, {"cmd":"drop"} closes its
// transport as a network failure would.
"use strict";

const readline = require("node:readline");
const http = require("node:http");
const { createClient } = require("redis");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-streams-adapter");
const ioClient = require("socket.io-client");

const [mode, redisUrl] = process.argv.slice(2);
const out = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const clients = new Map();

function startClient(cmd) {
  const socket = ioClient(cmd.url, {
    transports: ["websocket"],
    auth: cmd.auth || {},
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    forceNew: true,
  });
  clients.set(cmd.client, socket);
  socket.on("connect", () =>
    // pid: the session's key in Redis, for tests that watch what the server keeps there
    out({ ev: "connected", client: cmd.client, sid: socket.id, pid: socket._pid, recovered: socket.recovered }));
  socket.on("disconnect", (reason) => out({ ev: "disconnected", client: cmd.client, reason }));
  socket.onAny((name, ...args) => out({ ev: "event", client: cmd.client, name, args }));
}

async function runServer() {
  const redis = createClient({ url: redisUrl });
  redis.on("error", (e) => process.stderr.write("redis error " + e.message + "\n"));
  await redis.connect();
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter: createAdapter(redis),
    connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
  });
  io.on("connection", (socket) => {
    const auth = socket.handshake.auth || {};
    if (!socket.recovered && Array.isArray(auth.rooms)) socket.join(auth.rooms);
    if (!socket.recovered && auth.name !== undefined) socket.data.name = auth.name;
    socket.on("whoami", (ack) => ack({ rooms: [...socket.rooms], data: socket.data }));
  });
  httpServer.listen(0, "127.0.0.1", () => out({ ev: "listening", port: httpServer.address().port }));
  return async (cmd) => {
    let op = io;
    for (const room of cmd.rooms || []) op = op.to(room);
    switch (cmd.cmd) {
      case "emit":
        op.emit(cmd.event, ...(cmd.args || []));
        return {};
      default:
        throw new Error("unknown command " + cmd.cmd);
    }
  };
}

async function main() {
  const handle = mode === "server" ? await runServer() : (out({ ev: "ready" }), null);
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", async (line) => {
    if (!line.trim()) return;
    const cmd = JSON.parse(line);
    try {
      const socket = clients.get(cmd.client);
      switch (cmd.cmd) {
        case "client":
          startClient(cmd);
          return;
        case "retarget":
          socket.io.uri = cmd.url;
          break;
        case "drop":
          socket.io.engine.close();
          break;
        case "ask":
          out({ ev: "done", id: cmd.id, reply: await socket.timeout(5000).emitWithAck(cmd.event) });
          return;
        case "closeClients":
          for (const s of clients.values()) s.disconnect();
          clients.clear();
          break;
        default:
          if (!handle) throw new Error("unknown command " + cmd.cmd);
          out({ ev: "done", id: cmd.id, ...(await handle(cmd)) });
          return;
      }
      out({ ev: "done", id: cmd.id });
    } catch (e) {
      out({ ev: "failed", id: cmd.id, message: e.message });
    }
  });
  lines.on("close", () => process.exit(0));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack) + "\n");
  process.exit(1);
});
