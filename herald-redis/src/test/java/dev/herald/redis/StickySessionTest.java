package dev.herald.redis;

import static dev.herald.redis.NodePeer.array;
import static dev.herald.redis.NodePeer.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.netty.NettyServer;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.SocketIoTestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The documented nginx config ({@code docs/nginx/herald-cluster.conf}) in front of three Herald
 * nodes that share one real Redis, with real npm {@code socket.io-client} sockets connecting
 * through nginx over polling only, WebSocket only, and polling upgraded to WebSocket.
 *
 * <p>All test clients are on one machine, so each Node client binds its own loopback source
 * address (127.0.0.10, 127.0.0.11, …) and nginx's {@code hash $remote_addr consistent} spreads
 * them over the nodes. (The {@code ip_hash} alternative hashes only the first three octets, so it
 * sends them all to one node; {@link TheBalancingLine} shows both that and what happens without
 * any stickiness.) Java {@link SocketIoTestClient}s connected to each node directly, past nginx,
 * are members of the same rooms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StickySessionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final List<String> TRANSPORTS = List.of("polling", "websocket", "upgrade");
    static final int PER_TRANSPORT = 6;

    /** One Herald node on a real port. */
    record HeraldNode(int index, SocketIoServer io, NettyServer http) implements AutoCloseable {
        @Override
        public void close() {
            // the server first, while the event loops still run to tell its sockets
            io.close();
            http.close();
        }
    }

    /** A Node client behind nginx, and the node it reached. */
    record Client(String name, String transport, String address) {}

    RedisServer redis;
    final List<HeraldNode> nodes = new ArrayList<>();
    Nginx nginx;
    NodePeer peer;
    final List<Client> clients = new ArrayList<>();
    final List<SocketIoTestClient> direct = new ArrayList<>();
    int counter;

    @BeforeAll
    void startClusterBehindNginx() {
        try {
            redis = RedisServer.launch();
            for (int i = 0; i < 3; i++) {
                var io = node(i, redis.uri());
                var http = NettyServer.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .engine(io.engine())
                        .serveClient(false)
                        .build()
                        .start();
                nodes.add(new HeraldNode(i, io, http));
            }
            await().atMost(WAIT)
                    .until(() -> nodes.stream()
                            .allMatch(n -> n.io().sockets().adapter().serverCount() == 3));
            nginx = Nginx.launch(ports());
            peer = NodePeer.clients();
            connectEveryClient();
        } catch (RuntimeException | Error e) {
            stopEverything();
            throw e;
        }
    }

    /** Stops what was started, once: also called by a failing {@link #startClusterBehindNginx()}. */
    @AfterAll
    void stopEverything() {
        direct.forEach(SocketIoTestClient::close);
        direct.clear();
        if (peer != null) {
            peer.close();
            peer = null;
        }
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
        nodes.forEach(HeraldNode::close);
        nodes.clear();
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    /** A node that joins the rooms of the auth payload and answers {@code whoami} and {@code echo}. */
    static SocketIoServer node(int index, String redisUri) {
        var io = SocketIoServer.create(SocketIoOptions.builder()
                .adapterFactory(RedisAdapter.factory(RedisAdapterOptions.builder(redisUri)
                        .requestsTimeout(Duration.ofSeconds(3))
                        .build()))
                .build());
        io.onConnect(socket -> {
            socket.handshake().auth().path("rooms").forEach(r -> socket.join(r.asText()));
            socket.onCall(
                    "whoami",
                    (s, args) -> Map.of(
                            "node", index,
                            "transport", s.transport(),
                            "forwardedFor",
                                    s.handshake().header("x-forwarded-for").orElse("")));
            socket.onCall("echo", (s, args) -> args.get(0, JsonNode.class));
        });
        return io;
    }

    List<Integer> ports() {
        return nodes.stream().map(n -> n.http().port()).toList();
    }

    /**
     * Connects {@link #PER_TRANSPORT} Node clients per transport through nginx, each from its own
     * loopback address, into rooms {@code room} and {@code behind-nginx}, and one Java client
     * directly on each node into {@code room}.
     */
    void connectEveryClient() {
        int address = 10;
        for (var transport : TRANSPORTS) {
            for (int i = 0; i < PER_TRANSPORT; i++) {
                var client = new Client("c" + (++counter), transport, "127.0.0." + (address++));
                startClient(peer, nginx.url(), client, "room", "behind-nginx");
                clients.add(client);
            }
        }
        for (var client : clients) {
            awaitConnected(peer, client.name());
        }
        for (var node : nodes) {
            direct.add(SocketIoTestClient.builder(node.http().port())
                    .transport(node.index() % 2 == 0 ? "websocket" : "polling")
                    .auth(Map.of("rooms", List.of("room")))
                    .connect());
        }
        await().atMost(WAIT).until(() -> members("room") == clients.size() + direct.size());
    }

    static void startClient(NodePeer peer, String url, Client client, String... rooms) {
        var command = command("client");
        command.put("client", client.name());
        command.put("url", url);
        command.put("localAddress", client.address());
        command.set(
                "transports",
                client.transport().equals("upgrade") ? array("polling", "websocket") : array(client.transport()));
        command.set("auth", JSON.valueToTree(Map.of("rooms", List.of(rooms))));
        peer.send(command);
    }

    static void awaitConnected(NodePeer peer, String name) {
        var line = peer.awaitLine(l -> name.equals(l.path("client").asText())
                && (l.path("ev").asText().equals("connected")
                        || l.path("ev").asText().equals("connect_error")));
        assertThat(line.path("ev").asText()).as("%s: %s", name, line).isEqualTo("connected");
    }

    int members(String room) throws Exception {
        return nodes.get(0)
                .io()
                .to(room)
                .fetchSockets()
                .get(5, TimeUnit.SECONDS)
                .size();
    }

    JsonNode whoami(String client) {
        var emit = command("clientEmit");
        emit.put("client", client);
        emit.put("event", "whoami");
        emit.put("ack", true);
        return peer.call(emit).get("reply");
    }

    List<JsonNode> received(String client, String event) {
        return peer.received(client, event);
    }

    @Nested
    class BehindNginx {

        @Test
        void everyTransportConnectsAndIsSpreadOverTheNodes() {
            Map<Integer, List<String>> byNode = new LinkedHashMap<>();
            for (var client : clients) {
                var me = whoami(client.name());
                assertThat(me.path("forwardedFor").asText())
                        .as("nginx forwards the client address")
                        .isEqualTo(client.address());
                byNode.computeIfAbsent(me.path("node").asInt(), k -> new ArrayList<>())
                        .add(client.name());
            }
            assertThat(byNode.keySet()).as("clients per node: %s", byNode).hasSizeGreaterThanOrEqualTo(2);
        }

        @Test
        void pollingOnlyClientsStayOnPollingAndWebSocketClientsOnWebSocket() {
            for (var client : clients) {
                var expected = client.transport().equals("polling") ? "polling" : "websocket";
                if (client.transport().equals("upgrade")) {
                    peer.awaitLine(l -> client.name().equals(l.path("client").asText())
                            && l.path("ev").asText().equals("upgraded"));
                }
                await().atMost(WAIT)
                        .untilAsserted(() -> assertThat(
                                        whoami(client.name()).path("transport").asText())
                                .as(client.name())
                                .isEqualTo(expected));
            }
        }

        @Test
        void everyRequestOfAPollingSessionReachedTheSameNode() {
            // make every polling session send and receive a few more requests
            for (int i = 0; i < 3; i++) {
                clients.forEach(c -> whoami(c.name()));
            }
            var requests = nginx.requests().stream()
                    .filter(r -> r.uri().startsWith("/socket.io/"))
                    .toList();
            var polling = requests.stream()
                    .filter(r -> r.transport().equals("polling"))
                    .toList();
            Map<String, Set<String>> upstreamsBySid = requests.stream()
                    .filter(r -> r.sid().isPresent())
                    .collect(Collectors.groupingBy(
                            r -> r.sid().orElseThrow(),
                            Collectors.mapping(Nginx.Request::upstream, Collectors.toSet())));
            Map<String, Long> pollsBySid = polling.stream()
                    .filter(r -> r.sid().isPresent())
                    .collect(Collectors.groupingBy(r -> r.sid().orElseThrow(), Collectors.counting()));

            assertThat(pollsBySid.values().stream().filter(n -> n >= 4).count())
                    .as("sessions with several polling requests: %s", pollsBySid)
                    .isGreaterThanOrEqualTo(PER_TRANSPORT);
            upstreamsBySid.forEach((sid, upstreams) ->
                    assertThat(upstreams).as("nodes that served sid %s", sid).hasSize(1));
            assertThat(polling).as("no polling request was refused").allMatch(r -> r.status() == 200);
            assertThat(new HashSet<>(
                            polling.stream().map(Nginx.Request::upstream).toList()))
                    .as("polling requests went to several nodes")
                    .hasSizeGreaterThanOrEqualTo(2);
        }

        @Test
        void aBroadcastOnOneNodeReachesEveryMemberOnEveryNodeExactlyOnce() {
            nodes.get(1).io().to("room").emit("news", "from node 1");
            var marker = "flush-" + (++counter);
            // from the same node: one Redis connection keeps the two broadcasts in order
            nodes.get(1).io().to("room").emit(marker);

            for (var client : clients) {
                await().atMost(WAIT)
                        .until(() -> !received(client.name(), marker).isEmpty());
                assertThat(received(client.name(), "news")).as(client.name()).hasSize(1);
                assertThat(received(client.name(), "news")
                                .getFirst()
                                .path("args")
                                .get(0)
                                .asText())
                        .isEqualTo("from node 1");
            }
            for (var d : direct) {
                assertThat(d.nextEvent("news", WAIT).arg(0).asText()).isEqualTo("from node 1");
                d.nextEvent(marker, WAIT);
                d.expectNoEvent(Duration.ofMillis(300));
            }
        }

        @Test
        void acksRoundTripBothWays() throws Exception {
            for (var client : clients) {
                var emit = command("clientEmit");
                emit.put("client", client.name());
                emit.put("event", "echo");
                emit.set("args", array(Map.of("n", client.name())));
                emit.put("ack", true);
                assertThat(peer.call(emit).path("reply").path("n").asText()).isEqualTo(client.name());
            }

            List<EventArgs> replies = nodes.get(0)
                    .io()
                    .to("behind-nginx")
                    .timeout(Duration.ofSeconds(5))
                    .emitWithAck("poll")
                    .get(15, TimeUnit.SECONDS);

            assertThat(replies)
                    .extracting(r -> r.string(0))
                    .containsExactlyInAnyOrderElementsOf(
                            clients.stream().map(Client::name).toList());
        }

        @Test
        void aSameOriginPageIsAcceptedThroughNginxAndAForeignOneIsNot() {
            var endpoint = URI.create(nginx.url() + "/socket.io/");
            for (var transport : List.of("polling", "websocket")) {
                try (var page = SocketIoTestClient.builder(endpoint)
                        .transport(transport)
                        .header("Origin", nginx.url())
                        .connect()) {
                    assertThat(page.call("echo", WAIT, "same origin").get(0).asText())
                            .isEqualTo("same origin");
                }
                assertThatThrownBy(() -> SocketIoTestClient.builder(endpoint)
                                .transport(transport)
                                .header("Origin", "http://evil.example")
                                .connect()
                                .close())
                        .as(transport)
                        .isInstanceOf(Throwable.class);
            }
        }
    }

    @Test
    void theConfigShownInTheScalingGuideIsTheTestedFile() throws Exception {
        var guide = Files.readString(Path.of("../docs/scaling.md"));
        var file = Files.readString(Nginx.TEMPLATE);

        assertThat(guide).contains("```nginx\n" + file + "```");
    }

    /** The same documented file with its balancing line changed. */
    @Nested
    class TheBalancingLine {

        static final String HASH = "hash $remote_addr consistent;";

        @Test
        void withoutStickinessPollingSessionsBreak() {
            try (var roundRobin = Nginx.launch(ports(), site -> Nginx.replaceOnce(site, HASH, "# no stickiness"));
                    var others = NodePeer.clients()) {
                var names = new ArrayList<String>();
                // Four clients, not three: three clients taking turns in lockstep over three
                // round-robin upstreams would each land on "their" node every time, which is
                // stickiness by accident (seen once under a loaded full run).
                for (int i = 0; i < 4; i++) {
                    var client = new Client("rr" + i, "polling", "127.0.1." + (10 + i));
                    startClient(others, roundRobin.url(), client, "rr");
                    names.add(client.name());
                }
                await().atMost(WAIT).until(() -> roundRobin.requests().stream().anyMatch(r -> r.status() == 400));
                assertThat(roundRobin.requests())
                        .as("a request reached a node that does not hold its session")
                        .anyMatch(r -> r.status() == 400 && r.sid().isPresent());
            }
        }

        @Test
        void ipHashSendsTheWholeLoopbackNetworkToOneNode() {
            try (var ipHash = Nginx.launch(ports(), site -> Nginx.replaceOnce(site, HASH, "ip_hash;"));
                    var others = NodePeer.clients()) {
                var names = new ArrayList<String>();
                for (int i = 0; i < 6; i++) {
                    var client = new Client("ip" + i, "polling", "127.0.0." + (100 + i));
                    startClient(others, ipHash.url(), client, "ip");
                    names.add(client.name());
                }
                names.forEach(n -> awaitConnected(others, n));
                var upstreams = ipHash.requests().stream()
                        .filter(r -> r.sid().isPresent())
                        .map(Nginx.Request::upstream)
                        .collect(Collectors.toSet());
                assertThat(upstreams).as("ip_hash hashes 127.0.0 only").hasSize(1);
                assertThat(ipHash.requests()).allMatch(r -> r.status() == 200);
            }
        }
    }
}
