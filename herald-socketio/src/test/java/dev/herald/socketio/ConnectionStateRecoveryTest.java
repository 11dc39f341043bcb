package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engineio.CloseReason;
import dev.herald.socketio.adapter.InMemoryAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery on the wire, as the official client speaks it: {@code pid} in the
 * CONNECT reply, an offset as the last argument of each recoverable event, {@code {pid, offset}}
 * in the reconnecting CONNECT. Real clients over real transports: {@code RecoveryInteropTest} in
 * herald-examples.
 */
class ConnectionStateRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SocketIoServer> servers = new ArrayList<>();
    private final List<String> connects = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(SocketIoServer::close);
    }

    private SocketIoServer server(SocketIoOptions.Builder options) {
        SocketIoServer io = SocketIoServer.create(options.build());
        servers.add(io);
        io.onConnect(s -> connects.add(s.id() + (s.recovered() ? " recovered" : " fresh")));
        io.sockets().onRecoveryFailed((s, reason) -> failures.add(reason.name()));
        io.onCall("setup", (s, a) -> {
            s.join("room");
            s.data().put("name", "ann");
            return "ok";
        });
        io.onCall(
                "whoami", (s, a) -> Map.of("rooms", s.rooms(), "name", s.data().getOrDefault("name", "-")));
        return io;
    }

    private SocketIoServer server() {
        return server(SocketIoOptions.builder().connectionStateRecovery());
    }

    /** The CONNECT reply's payload. */
    private static JsonNode connectReply(FakeEngineSocket c, String auth) throws Exception {
        c.deliver("0" + auth);
        String reply = c.nextText();
        assertThat(reply).startsWith("0{");
        return JSON.readTree(reply.substring(1));
    }

    /** An event's arguments, the event name first. */
    private static JsonNode event(FakeEngineSocket c) throws Exception {
        String text = c.nextText();
        assertThat(text).startsWith("2[");
        return JSON.readTree(text.substring(1));
    }

    private static String lastArg(JsonNode event) {
        return event.get(event.size() - 1).asText();
    }

    /** Connects, joins "room" with data, and returns the CONNECT reply. */
    private static JsonNode connectAndSetUp(FakeEngineSocket c) throws Exception {
        JsonNode reply = connectReply(c, "");
        c.deliver("21[\"setup\"]");
        assertThat(c.nextText()).isEqualTo("31[\"ok\"]");
        return reply;
    }

    private static String resume(JsonNode reply, String offset) {
        return "{\"pid\":\"" + reply.get("pid").asText() + "\""
                + (offset == null ? "" : ",\"offset\":\"" + offset + "\"") + "}";
    }

    @Nested
    class OnTheWire {

        @Test
        void connectReplyCarriesPidBesideSidOnlyWhenRecoveryIsOn() throws Exception {
            assertThat(connectReply(new FakeEngineSocket(server()), "").fieldNames())
                    .toIterable()
                    .containsExactly("sid", "pid");
            assertThat(connectReply(new FakeEngineSocket(server(SocketIoOptions.builder())), "")
                            .fieldNames())
                    .toIterable()
                    .containsExactly("sid");
        }

        @Test
        void eventsCarryAnOffsetButAcksVolatileAndAckRequestsDoNot() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket c = new FakeEngineSocket(io);
            String sid = connectReply(c, "").get("sid").asText();
            Socket socket = io.sockets().sockets().get(sid);

            socket.emit("direct", 1);
            JsonNode direct = event(c);
            assertThat(direct.get(0).asText()).isEqualTo("direct");
            assertThat(direct.get(1).asInt()).isEqualTo(1);
            assertThat(direct).hasSize(3);

            io.emit("all", 2);
            JsonNode all = event(c);
            assertThat(all).hasSize(3);
            assertThat(lastArg(all)).isNotEqualTo(lastArg(direct));

            io.asVolatile().emit("vol", 3);
            assertThat(c.nextText()).isEqualTo("2[\"vol\",3]");
            socket.emitWithAck("ask", 4);
            assertThat(c.nextText()).matches("2\\d+\\[\"ask\",4]");
            c.deliver("21[\"setup\"]");
            assertThat(c.nextText()).isEqualTo("31[\"ok\"]");
        }
    }

    @Nested
    class Resuming {

        @Test
        void resumesIdPidRoomsDataAndTheMissedEventsInOrder() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket first = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(first);
            io.to("room").emit("tick", 0);
            String offset = lastArg(event(first));

            first.clientClose(CloseReason.TRANSPORT_CLOSE);
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> io.sockets().sockets().isEmpty());
            for (int i = 1; i <= 3; i++) {
                io.to("room").emit("tick", i);
            }
            io.to("elsewhere").emit("not-for-you");
            io.emit("everyone");

            FakeEngineSocket second = new FakeEngineSocket(io);
            JsonNode resumed = connectReply(second, resume(reply, offset));
            assertThat(resumed).isEqualTo(reply);
            for (int i = 1; i <= 3; i++) {
                JsonNode tick = event(second);
                assertThat(tick.get(0).asText()).isEqualTo("tick");
                assertThat(tick.get(1).asInt()).isEqualTo(i);
            }
            assertThat(event(second).get(0).asText()).isEqualTo("everyone");
            second.deliver("21[\"whoami\"]");
            JsonNode who = JSON.readTree(second.nextText().substring(2)).get(0);
            assertThat(who.get("name").asText()).isEqualTo("ann");
            assertThat(who.get("rooms"))
                    .extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("room", reply.get("sid").asText());
            String sid = reply.get("sid").asText();
            await().atMost(5, TimeUnit.SECONDS).until(() -> connects.size() == 2);
            assertThat(connects).containsExactly(sid + " fresh", sid + " recovered");
            assertThat(failures).isEmpty();

            io.to("room").emit("live", 9);
            assertThat(event(second).get(0).asText()).isEqualTo("live");
        }

        @Test
        void aClientThatReceivedNothingYetRecoversToo() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket first = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(first);
            first.clientClose(CloseReason.PING_TIMEOUT);
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> io.sockets().sockets().isEmpty());
            io.to("room").emit("missed", 1);

            FakeEngineSocket second = new FakeEngineSocket(io);
            assertThat(connectReply(second, resume(reply, null))).isEqualTo(reply);
            JsonNode missed = event(second);
            assertThat(missed.get(0).asText()).isEqualTo("missed");
            assertThat(missed.get(1).asInt()).isEqualTo(1);
        }

        @Test
        void aSessionRecoversAnyNumberOfTimesInARow() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket c = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(c);
            String offset = null;
            for (int round = 1; round <= 4; round++) {
                c.clientClose(CloseReason.TRANSPORT_ERROR);
                await().atMost(5, TimeUnit.SECONDS)
                        .until(() -> io.sockets().sockets().isEmpty());
                io.to("room").emit("round", round);
                c = new FakeEngineSocket(io);
                assertThat(connectReply(c, resume(reply, offset)))
                        .as("round " + round)
                        .isEqualTo(reply);
                JsonNode missed = event(c);
                assertThat(missed.get(1).asInt()).isEqualTo(round);
                offset = lastArg(missed);
            }
            assertThat(failures).isEmpty();
        }

        @Test
        void aClientBackBeforeItsOldConnectionWasSeenClosedTakesItsSessionOver() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket old = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(old);
            io.to("room").emit("tick", 1);
            String offset = lastArg(event(old));
            // The old connection is half-open: the server has not noticed that it died.

            FakeEngineSocket back = new FakeEngineSocket(io);
            assertThat(connectReply(back, resume(reply, offset))).isEqualTo(reply);
            assertThat(old.closeReason).isEqualTo(CloseReason.FORCED_CLOSE);
            io.to("room").emit("tick", 2);
            assertThat(event(back).get(1).asInt()).isEqualTo(2);
            await().atMost(5, TimeUnit.SECONDS).until(() -> connects.size() == 2);
            assertThat(failures).isEmpty();
        }

        @Test
        void aCloseWhileTheConnectHandlerRunsKeepsWhatTheHandlerSetUp() throws Exception {
            SocketIoServer io = server();
            CountDownLatch release = new CountDownLatch(1);
            io.onConnect(s -> {
                if (!s.recovered()) {
                    s.emit("hello"); // the CONNECT reply goes out with the first write
                    release.await(5, TimeUnit.SECONDS);
                    s.join("late");
                    s.data().put("set", "in the handler");
                }
            });
            io.onCall(
                    "mine", (s, a) -> Map.of("rooms", s.rooms(), "set", s.data().getOrDefault("set", "-")));
            FakeEngineSocket first = new FakeEngineSocket(io);
            JsonNode reply = connectReply(first, "");
            String offset = lastArg(event(first));
            first.clientClose(CloseReason.TRANSPORT_CLOSE);

            FakeEngineSocket back = new FakeEngineSocket(io);
            back.deliver("0" + resume(reply, offset));
            release.countDown();
            assertThat(JSON.readTree(back.nextText().substring(1))).isEqualTo(reply);
            back.deliver("21[\"mine\"]");
            JsonNode mine = JSON.readTree(back.nextText().substring(2)).get(0);
            assertThat(mine.get("rooms")).extracting(JsonNode::asText).contains("late");
            assertThat(mine.get("set").asText()).isEqualTo("in the handler");
        }

        @Test
        void middlewaresAreSkippedForARecoveredSocketOnlyWhenAskedTo() throws Exception {
            for (boolean skip : List.of(true, false)) {
                SocketIoServer io =
                        server(SocketIoOptions.builder().connectionStateRecovery(Duration.ofMinutes(1), skip));
                List<String> ran = new CopyOnWriteArrayList<>();
                io.use((s, next) -> {
                    ran.add(s.id());
                    next.proceed();
                });
                FakeEngineSocket c = new FakeEngineSocket(io);
                JsonNode reply = connectReply(c, "");
                c.clientClose(CloseReason.TRANSPORT_CLOSE);
                await().atMost(5, TimeUnit.SECONDS)
                        .until(() -> io.sockets().sockets().isEmpty());
                assertThat(connectReply(new FakeEngineSocket(io), resume(reply, null)))
                        .isEqualTo(reply);
                assertThat(ran).as("skipMiddlewares=" + skip).hasSize(skip ? 1 : 2);
            }
        }

        @Test
        void theResumedSocketWaitsForTheOldOnesDisconnectFlow() throws Exception {
            SocketIoServer io = server();
            CountDownLatch release = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            io.onDisconnect((s, reason) -> {
                release.await(5, TimeUnit.SECONDS);
                order.add("old left " + reason.wire());
            });
            io.onConnect(s -> order.add(s.recovered() ? "resumed" : "first"));
            FakeEngineSocket first = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(first);
            first.clientClose(CloseReason.TRANSPORT_CLOSE);

            FakeEngineSocket second = new FakeEngineSocket(io);
            second.deliver("0" + resume(reply, null));
            second.assertNothingWithin(200);
            release.countDown();
            assertThat(JSON.readTree(second.nextText().substring(1))).isEqualTo(reply);
            await().atMost(5, TimeUnit.SECONDS).until(() -> order.size() == 3);
            assertThat(order).containsExactly("first", "old left transport close", "resumed");
            Socket resumed = io.sockets().sockets().get(reply.get("sid").asText());
            assertThat(resumed.rooms()).contains("room");
        }
    }

    @Nested
    class WhenItCannotRecover {

        private String freshAfter(SocketIoServer io, JsonNode reply, String offset) throws Exception {
            JsonNode again = connectReply(new FakeEngineSocket(io), resume(reply, offset));
            assertThat(again.get("sid").asText()).isNotEqualTo(reply.get("sid").asText());
            assertThat(again.get("pid").asText()).isNotEqualTo(reply.get("pid").asText());
            await().atMost(5, TimeUnit.SECONDS).until(() -> !failures.isEmpty());
            return failures.get(failures.size() - 1);
        }

        @Test
        void afterTheWindowTheClientGetsAFreshSessionAndTheAppIsTold() throws Exception {
            SocketIoServer io = server(SocketIoOptions.builder().connectionStateRecovery(Duration.ofMillis(200), true));
            FakeEngineSocket c = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(c);
            c.clientClose(CloseReason.TRANSPORT_CLOSE);
            long closed = System.nanoTime();
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> System.nanoTime() - closed > TimeUnit.MILLISECONDS.toNanos(300));
            assertThat(freshAfter(io, reply, null)).isIn("EXPIRED", "UNKNOWN_SESSION");
            assertThat(connects.get(connects.size() - 1)).endsWith(" fresh");
        }

        @Test
        void packetsDroppedByTheCapMakeRecoveryFailInsteadOfLeavingAGap() throws Exception {
            SocketIoServer io =
                    server(SocketIoOptions.builder().connectionStateRecovery().recoveryMaxPackets(3));
            FakeEngineSocket c = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(c);
            io.to("room").emit("tick", 0);
            String offset = lastArg(event(c));
            c.clientClose(CloseReason.TRANSPORT_CLOSE);
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> io.sockets().sockets().isEmpty());
            for (int i = 1; i <= 5; i++) {
                io.to("room").emit("tick", i);
            }
            assertThat(freshAfter(io, reply, offset)).isEqualTo("PACKETS_LOST");
            assertThat(((InMemoryAdapter) io.sockets().adapter()).recoveryPacketsDropped())
                    .isEqualTo(3);
        }

        @Test
        void anOffsetThisServerNeverIssuedIsUnknown() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket c = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(c);
            c.clientClose(CloseReason.TRANSPORT_CLOSE);
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> io.sockets().sockets().isEmpty());
            assertThat(freshAfter(io, reply, "1700000000000-0")).isEqualTo("UNKNOWN_OFFSET");
        }

        @Test
        void aDisconnectOnPurposeKeepsNoSession() throws Exception {
            SocketIoServer io = server();
            FakeEngineSocket c = new FakeEngineSocket(io);
            JsonNode reply = connectAndSetUp(c);
            c.deliver("1");
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> io.sockets().sockets().isEmpty());
            assertThat(freshAfter(io, reply, null)).isEqualTo("UNKNOWN_SESSION");

            FakeEngineSocket d = new FakeEngineSocket(io);
            JsonNode other = connectReply(d, "");
            io.sockets().sockets().get(other.get("sid").asText()).disconnect();
            assertThat(d.nextText()).isEqualTo("1");
            assertThat(freshAfter(io, other, null)).isEqualTo("UNKNOWN_SESSION");
        }

        @Test
        void withRecoveryOffAPidIsIgnored() throws Exception {
            SocketIoServer io = server(SocketIoOptions.builder());
            JsonNode reply = connectReply(new FakeEngineSocket(io), "{\"pid\":\"x\",\"offset\":\"y\"}");
            assertThat(reply.has("pid")).isFalse();
            assertThat(failures).isEmpty();
        }
    }
}
