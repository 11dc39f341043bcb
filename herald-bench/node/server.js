// The benchmark app on Node's reference server, socket.io 4.8.x:
//   "echo"  acks its arguments; "join" puts the socket in room "all" (and acks, if asked);
//   "bcast" emits "tick" with the same arguments to room "all".
// Usage: node --expose-gc server.js [--port N] [--recovery] [--per-message-deflate]
//        (or PORT=N; 0, the default, picks a free port)
// --recovery turns connectionStateRecovery on (2-minute window, middlewares skipped), for the jitter scenario.
// --per-message-deflate accepts a client's permessage-deflate offer, threshold 1024 as Herald's, for the
// deflate runs of echo and broadcast. (engine.io hands the threshold to ws, which applies it only when the
// server keeps no deflate context between messages; with the context kept, as negotiated here, ws
// compresses every message, pings included.)
// Prints "LISTENING <port>" once bound. SIGUSR2 runs a full GC, so that the load generator can
// read the resident memory of live data only, as it does with jcmd GC.run on the JVM servers.
"use strict";
const http = require("node:http");
const { Server } = require("socket.io");

function portFromArgs() {
  const i = process.argv.indexOf("--port");
  if (i >= 0 && i + 1 < process.argv.length) return Number(process.argv[i + 1]);
  return Number(process.env.PORT || 0);
}

const httpServer = http.createServer();
const options = { serveClient: false };
if (process.argv.includes("--recovery")) {
  options.connectionStateRecovery = { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true };
}
if (process.argv.includes("--per-message-deflate")) {
  options.perMessageDeflate = { threshold: 1024 };
}
const io = new Server(httpServer, options);

io.on("connection", (socket) => {
  socket.on("echo", (...args) => {
    const ack = args.pop();
    if (typeof ack === "function") ack(...args);
  });
  socket.on("join", (ack) => {
    socket.join("all");
    if (typeof ack === "function") ack();
  });
  socket.on("bcast", (...args) => {
    io.to("all").emit("tick", ...args);
  });
});

process.on("SIGUSR2", () => {
  if (typeof global.gc === "function") global.gc();
});
process.on("SIGTERM", () => process.exit(0));

httpServer.listen(portFromArgs(), "127.0.0.1", () => {
  console.log(`LISTENING ${httpServer.address().port}`);
});
