package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.redis.RedisCapture.Published;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same cluster operation done on a Node socket.io 4.8 server with
 * {@code @socket.io/redis-adapter} 8.3 and on a Herald node publishes the same message on the same
 * channel: same encoding (msgpack or JSON), same keys in the same order, same values; only the
 * node uid and the random request id differ.
 */
class AdapterWireTest {

    static RedisServer redis;
    static NodePeer node;
    static SocketIoServer herald;
    static String heraldUid;
    static RedisCapture capture;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        node = NodePeer.server(redis.uri());
        herald = RedisAdapterTest.node(redis.uri());
        heraldUid = ((RedisAdapter) herald.sockets().adapter()).uid();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> herald.sockets().adapter().serverCount() == 2);
        capture = new RedisCapture(redis.uri(), "socket.io*");
    }

    @AfterAll
    static void stop() {
        capture.close();
        herald.close();
        node.close();
        redis.close();
    }

    @Test
    void aRoomBroadcastWithBinary() {
        var published = same("socket.io#/#r#", WireCases.roomBroadcastWithBinary("r"));
        assertThat(published.message()[0] & 0xff).as("msgpack fixarray").isEqualTo(0x93);
    }

    @Test
    void aBroadcastToSeveralRoomsWithExceptAndVolatile() {
        same("socket.io#/#", WireCases.severalRoomsWithExceptAndVolatile());
    }

    @Test
    void socketsJoinLeaveAndDisconnectRequests() {
        var published = same("socket.io-request#/#", WireCases.socketsJoin());
        assertThat(published.message()[0]).as("JSON").isEqualTo((byte) '{');
        same("socket.io-request#/#", WireCases.socketsLeave());
        same("socket.io-request#/#", WireCases.disconnectSockets());
    }

    @Test
    void serverSideEmitRequest() {
        same("socket.io-request#/#", WireCases.serverSideEmit());
    }

    @Test
    void fetchSocketsRequest() {
        same("socket.io-request#/#", WireCases.fetchSockets());
    }

    @Test
    void broadcastWithAckRequest() {
        same("socket.io-request#/#", WireCases.broadcastWithAck("a"));
    }

    private Published same(String channel, WireCases.Case operation) {
        return WireCases.same(capture, node, herald, heraldUid, Set.of(heraldUid), channel, operation);
    }
}
