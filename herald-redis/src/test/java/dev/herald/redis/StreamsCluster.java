package dev.herald.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers of the streams adapter tests: Herald nodes with recovery, and the Node peer's events. */
final class StreamsCluster {

    static final Duration WINDOW = Duration.ofSeconds(60);

    private StreamsCluster() {}

    /** A Herald node on the stream: clients join {@code auth.rooms}, keep {@code auth.name} in data(). */
    record HeraldNode(SocketIoServer io, NettyServer http) implements AutoCloseable {
        static HeraldNode start(String redisUri) {
            return start(redisUri, WINDOW);
        }

        /** Same, with this recovery window (which also sets how often live sessions are rewritten). */
        static HeraldNode start(String redisUri, Duration window) {
            var io = SocketIoServer.create(SocketIoOptions.builder()
                    .connectionStateRecovery(window, true)
                    .adapterFactory(RedisStreamsAdapter.factory(RedisStreamsAdapterOptions.builder(redisUri)
                            .requestsTimeout(Duration.ofSeconds(2))
                            .build()))
                    .build());
            io.onConnect(socket -> {
                if (socket.recovered()) {
                    return;
                }
                socket.handshake().auth().path("rooms").forEach(r -> socket.join(r.asText()));
                if (socket.handshake().auth().has("name")) {
                    socket.data()
                            .put("name", socket.handshake().auth().get("name").asText());
                }
            });
            io.onCall("whoami", (socket, args) -> {
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("rooms", List.copyOf(socket.rooms()));
                reply.put("data", Map.copyOf(socket.data()));
                return reply;
            });
            var http = NettyServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .engine(io.engine())
                    .serveClient(false)
                    .build()
                    .start();
            return new HeraldNode(io, http);
        }

        String url() {
            return "http://127.0.0.1:" + http.port();
        }

        @Override
        public void close() {
            http.close();
            io.close();
        }
    }

    /** The names of the events client {@code name} got, with their first argument, in order. */
    static List<String> got(NodePeer peer, String client) {
        return peer
                .lines(l -> l.path("ev").asText().equals("event")
                        && client.equals(l.path("client").asText()))
                .stream()
                .map(l -> l.path("name").asText() + ":" + l.path("args").path(0).asText())
                .toList();
    }

    /**
     * What the server knows of client {@code name} ({@code whoami}: rooms and data). The client
     * sees its CONNECT before the server's connect handler has run (joined rooms, set data); the
     * answer to an event comes after that handler, so a test that drops the client, or emits to
     * its rooms, calls this first.
     */
    static JsonNode whoami(NodePeer peer, String client) {
        return peer.call(NodePeer.command("ask").put("client", client).put("event", "whoami"))
                .path("reply");
    }

    /** The {@code n}-th (from 1) connect of client {@code name}. */
    static JsonNode connect(NodePeer peer, String client, int n) {
        peer.awaitLine(l -> connects(peer, client).size() >= n);
        return connects(peer, client).get(n - 1);
    }

    private static List<JsonNode> connects(NodePeer peer, String client) {
        return peer.lines(l -> l.path("ev").asText().equals("connected")
                && client.equals(l.path("client").asText()));
    }
}
