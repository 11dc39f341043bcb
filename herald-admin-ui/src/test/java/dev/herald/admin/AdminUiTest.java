package dev.herald.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.netty.NettyServer;
import dev.herald.redis.RedisServer;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The admin namespace's options with the Java test client on real sockets (the npm client's tests are in herald-examples). */
class AdminUiTest {

    private static final Duration T = Duration.ofSeconds(5);
    // One hash for every test: bcrypt is slow on purpose.
    private static final String HASH = AdminUi.hashPassword("pw");

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A server with the Admin UI on these options; returns its port. */
    private int server(AdminUiOptions options) {
        SocketIoServer io = SocketIoServer.create();
        io.of("/app").on("name", (socket, args) -> {
            socket.data().put("name", args.string(0));
            socket.data().remove("name");
        });
        AdminUi ui = AdminUi.instrument(io, options);
        NettyServer netty = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .serveClient(false)
                .build()
                .start();
        open.add(io);
        open.add(netty);
        open.add(ui);
        return netty.port();
    }

    private SocketIoTestClient admin(int port, Map<String, String> auth) {
        SocketIoTestClient c =
                SocketIoTestClient.builder(port).namespace("/admin").auth(auth).connect();
        open.add(c);
        return c;
    }

    /** The next event of that name; the ones before it (in development mode the dashboard's own socket and room) are skipped. */
    private static ReceivedEvent next(SocketIoTestClient c, String name) {
        while (true) {
            ReceivedEvent e = c.nextEvent(T);
            if (e.name().equals(name)) {
                return e;
            }
        }
    }

    private static List<String> features(SocketIoTestClient c) {
        List<String> out = new ArrayList<>();
        next(c, "config").arg(0).path("supportedFeatures").forEach(f -> out.add(f.asText()));
        return out;
    }

    @Nested
    class Options {

        @Test
        void authMustBeChosenAndAPasswordMustBeABcryptHash() {
            assertThatThrownBy(() -> AdminUiOptions.builder().build())
                    .hasMessageStartingWith("the `auth` option must be specified or explicitly set to `false`");
            assertThatThrownBy(() ->
                            AdminUiOptions.builder().basicAuth("admin", "plain").build())
                    .hasMessage("the `password` field must be a valid bcrypt hash");
            assertThat(AdminUiOptions.builder().basicAuth("admin", HASH).build().namespace())
                    .isEqualTo("/admin");
        }
    }

    @Test
    void withoutAuthAnyoneConnects() {
        int port = server(AdminUiOptions.builder().noAuth().build());
        SocketIoTestClient c = admin(port, Map.of());
        assertThat(features(c)).contains("EMIT", "ALL_EVENTS");
    }

    @Test
    void aChangeToASocketsDataIsSentAsSocketUpdatedWithTheWholeData() {
        int port = server(AdminUiOptions.builder().noAuth().build());
        SocketIoTestClient c = admin(port, Map.of());
        features(c);
        SocketIoTestClient app =
                SocketIoTestClient.builder(port).namespace("/app").connect();
        open.add(app);
        app.emit("name", "ada");
        JsonNode set = next(c, "socket_updated").arg(0);
        assertThat(set.toString())
                .isEqualTo("{\"id\":\"" + app.sid() + "\",\"nsp\":\"/app\",\"data\":{\"name\":\"ada\"}}");
        JsonNode removed = next(c, "socket_updated").arg(0);
        assertThat(removed.path("data").toString()).isEqualTo("{}");
    }

    @Test
    void productionModeSendsStatsButNeitherSocketsNorEvents() {
        int port = server(AdminUiOptions.builder()
                .basicAuth("admin", HASH)
                .mode(AdminUiOptions.Mode.PRODUCTION)
                .build());
        SocketIoTestClient c = admin(port, Map.of("username", "admin", "password", "pw"));
        next(c, "session");
        assertThat(features(c))
                .containsExactly(
                        "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS");
        JsonNode stats = next(c, "server_stats").arg(0);
        assertThat(stats.path("namespaces").toString()).contains("\"name\":\"/app\"");
        SocketIoTestClient app =
                SocketIoTestClient.builder(port).namespace("/app").connect();
        open.add(app);
        app.emit("hello");
        // Only stats: in development socket_connected and event_received would come before the next ones.
        assertThat(c.nextEvent(Duration.ofSeconds(3)).name()).isEqualTo("server_stats");
    }

    @Test
    void readonlyOffersNoOperationAndIgnoresThem() {
        int port = server(AdminUiOptions.builder().noAuth().readonly(true).build());
        SocketIoTestClient app =
                SocketIoTestClient.builder(port).namespace("/app").connect();
        open.add(app);
        SocketIoTestClient c = admin(port, Map.of());
        assertThat(features(c)).containsExactly("AGGREGATED_EVENTS", "ALL_EVENTS");
        c.emit("emit", "/app", null, "notice", "not allowed");
        app.expectNoEvent(Duration.ofMillis(500));
    }

    @Test
    void aSessionSavedInRedisLetsTheDashboardIntoAnotherNodeWithNodesKeyLayout() {
        RedisServer redis = RedisServer.launch();
        open.add(redis);
        RedisAdminSessionStore storeA = RedisAdminSessionStore.connect(redis.uri());
        RedisAdminSessionStore storeB = RedisAdminSessionStore.connect(redis.uri());
        open.add(storeA);
        open.add(storeB);
        int nodeA = server(AdminUiOptions.builder()
                .basicAuth("admin", HASH)
                .sessionStore(storeA)
                .build());
        int nodeB = server(AdminUiOptions.builder()
                .basicAuth("admin", HASH)
                .sessionStore(storeB)
                .build());

        String session = next(admin(nodeA, Map.of("username", "admin", "password", "pw")), "session")
                .arg(0)
                .asText();
        assertThat(features(admin(nodeB, Map.of("sessionId", session)))).contains("EMIT");

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().get("socket.io-admin#" + session)).isEqualTo("true");
            assertThat(c.sync().ttl("socket.io-admin#" + session)).isBetween(86_000L, 86_400L);
        } finally {
            client.shutdown();
        }
        JsonNode refused = SocketIoTestClient.builder(nodeB)
                .namespace("/admin")
                .auth(Map.of("sessionId", "nope"))
                .connectExpectingError();
        assertThat(refused.path("message").asText()).isEqualTo("invalid credentials");
    }
}
