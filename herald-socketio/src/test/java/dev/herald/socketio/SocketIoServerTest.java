package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/** The Socket.IO layer over an in-memory engine session: wire strings in, wire strings out. */
class SocketIoServerTest {

    private final SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
            .connectTimeout(Duration.ofMillis(500))
            .maxAttachments(3)
            .build());

    @AfterEach
    void close() {
        io.close();
    }

    @Nested
    class Connect {
        @Test
        void connectReplyCarriesOnlyTheSid() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.deliver("0");
            assertThat(c.nextText()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
        }

        @Test
        void unknownNamespaceIsRefusedAndTheConnectionStaysOpen() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.deliver("0/random");
            assertThat(c.nextText()).isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
            assertThat(c.isOpen()).isTrue();
        }

        @Test
        void eventEmittedInConnectHandlerIsASeparateMessageAfterTheReply() throws Exception {
            io.of("/custom").onConnect(s -> s.emit("auth", s.handshake().auth()));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.deliver("0/custom,{\"token\":\"abc\"}");
            assertThat(c.nextText()).startsWith("0/custom,{\"sid\":");
            assertThat(c.nextText()).isEqualTo("2/custom,[\"auth\",{\"token\":\"abc\"}]");
        }

        @Test
        void missingAuthIsAnEmptyObject() throws Exception {
            io.onConnect(s -> s.emit("auth", s.handshake().auth()));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            assertThat(c.nextText()).isEqualTo("2[\"auth\",{}]");
        }

        @Test
        void middlewareRefusalWithDataBecomesConnectError() throws Exception {
            io.use((s, next) -> {
                throw new ConnectionRefusedException("not authorized", Map.of("code", 401));
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.deliver("0");
            assertThat(c.nextText()).isEqualTo("4{\"message\":\"not authorized\",\"data\":{\"code\":401}}");
        }

        @Test
        void middlewareMayCallNextFromAnotherThread() throws Exception {
            io.use((s, next) -> CompletableFuture.runAsync(next::proceed));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
        }

        @Test
        void throwingMiddlewareRefusesWithAGenericMessageAndReportsTheError() throws Exception {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            io.sockets().onError((s, e, t) -> errors.add(t));
            io.use((s, next) -> {
                throw new IllegalStateException("boom");
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.deliver("0");
            assertThat(c.nextText()).isEqualTo("4{\"message\":\"Internal server error\"}");
            await().until(() -> errors.size() == 1);
            assertThat(errors.get(0)).hasMessage("boom");
        }

        @Test
        void connectionWithoutNamespaceIsClosedAfterConnectTimeout() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            await().atMost(Duration.ofSeconds(3)).until(() -> !c.isOpen());
        }

        @Test
        void connectedClientIsNotClosedByConnectTimeout() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            // Open for the whole span past the connect timeout (500 ms).
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(c::isOpen);
        }

        @Test
        void dynamicNamespaceIsCreatedFromAPatternAndSharesHandlers() throws Exception {
            io.of(Pattern.compile("/dyn-\\d+"))
                    .onConnect(s -> s.emit("hello", s.namespace().name()));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/dyn-42");
            assertThat(c.nextText()).isEqualTo("2/dyn-42,[\"hello\",\"/dyn-42\"]");
            c.deliver("0/dyn-x,");
            assertThat(c.nextText()).isEqualTo("4/dyn-x,{\"message\":\"Invalid namespace\"}");
        }

        @Test
        void dynamicNamespaceMatcherSeesTheAuthPayload() throws Exception {
            io.of((name, auth) -> name.startsWith("/t-") && auth.path("ok").asBoolean());
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.deliver("0/t-1,{\"ok\":false}");
            assertThat(c.nextText()).startsWith("4/t-1,");
            c.deliver("0/t-1,{\"ok\":true}");
            assertThat(c.nextText()).startsWith("0/t-1,{\"sid\"");
        }
    }

    @Nested
    class Events {
        @Test
        void onCallReturnValueBecomesTheAck() throws Exception {
            io.onCall("sum", (s, a) -> a.get(0, Integer.class) + a.get(1, Integer.class));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("27[\"sum\",2,3]");
            assertThat(c.nextText()).isEqualTo("37[5]");
        }

        @Test
        void onHandlerMayAckExplicitlyWithSeveralArguments() throws Exception {
            io.on("echo", (s, a) -> a.ack(a.node(0), "x"));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("29[\"echo\",{\"a\":1}]");
            assertThat(c.nextText()).isEqualTo("39[{\"a\":1},\"x\"]");
        }

        record Point(int x, int y) {}

        @Test
        void argumentsDecodeToRecords() throws Exception {
            AtomicReference<Point> got = new AtomicReference<>();
            io.on("point", (s, a) -> got.set(a.get(0, Point.class)));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"point\",{\"x\":1,\"y\":2,\"z\":3}]");
            await().untilAtomic(got, Matchers.equalTo(new Point(1, 2)));
        }

        @Test
        void conversionErrorsNameTheArgumentAndPathButNotTheValue() throws Exception {
            AtomicReference<Throwable> error = new AtomicReference<>();
            io.sockets().onError((s, e, t) -> error.set(t));
            io.on("point", (s, a) -> a.get(0, Point.class));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"point\",{\"x\":\"secret-value\",\"y\":2}]");
            await().until(() -> error.get() != null);
            assertThat(error.get())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("argument 0")
                    .hasMessageContaining("Point")
                    .hasMessageContaining("\"x\"")
                    .hasNoCause();
            assertThat(error.get().getMessage()).doesNotContain("secret-value");
        }

        @Test
        void emitsReachTheClientBeforeTheHandlerReturns() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            io.on("work", (s, a) -> {
                s.emit("progress", "start");
                release.await();
                s.emit("progress", "done");
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"work\"]");
            assertThat(c.nextText()).isEqualTo("2[\"progress\",\"start\"]");
            c.assertNothingWithin(100);
            release.countDown();
            assertThat(c.nextText()).isEqualTo("2[\"progress\",\"done\"]");
        }

        @Test
        void oneSocketsEventsRunInOrder() throws Exception {
            List<Integer> seen = new CopyOnWriteArrayList<>();
            io.on("n", (s, a) -> {
                int n = a.get(0, Integer.class);
                if (n == 0) {
                    Thread.sleep(50);
                }
                seen.add(n);
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            for (int i = 0; i < 20; i++) {
                c.deliver("2[\"n\"," + i + "]");
            }
            await().until(() -> seen.size() == 20);
            assertThat(seen).isSorted();
        }

        @Test
        void aBlockedSocketDoesNotStallAnother() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            io.on("block", (s, a) -> release.await());
            io.onCall("ping", (s, a) -> "pong");
            FakeEngineSocket a = new FakeEngineSocket(io);
            FakeEngineSocket b = new FakeEngineSocket(io);
            a.connect("/");
            b.connect("/");
            a.deliver("2[\"block\"]");
            b.deliver("21[\"ping\"]");
            assertThat(b.nextText()).isEqualTo("31[\"pong\"]");
            release.countDown();
        }

        @Test
        void binaryArgumentsArriveAsBytesAndGoBackAsAttachments() throws Exception {
            io.on(
                    "bin",
                    (s, a) -> s.emit("bin-back", a.get(0, byte[].class), Map.of("nested", a.get(0, ByteBuffer.class))));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("51-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
            c.deliver(new byte[] {1, 2, 3});
            assertThat(c.nextText())
                    .isEqualTo(
                            "52-[\"bin-back\",{\"_placeholder\":true,\"num\":0},{\"nested\":{\"_placeholder\":true,\"num\":1}}]");
            assertThat(c.next().binary()).containsExactly(1, 2, 3);
            assertThat(c.next().binary()).containsExactly(1, 2, 3);
        }

        @Test
        void throwingHandlerGoesToTheErrorHandlerAndTheSocketKeepsWorking() throws Exception {
            List<String> errors = new CopyOnWriteArrayList<>();
            io.sockets().onError((s, e, t) -> errors.add(e + ":" + t.getMessage()));
            io.on("bad", (s, a) -> {
                throw new IllegalStateException("boom");
            });
            io.onCall("ok", (s, a) -> 1);
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"bad\"]");
            c.deliver("23[\"ok\"]");
            assertThat(c.nextText()).isEqualTo("33[1]");
            assertThat(errors).containsExactly("bad:boom");
            assertThat(c.isOpen()).isTrue();
        }

        @Test
        void handlerThreadsCarryMdcKeys() throws Exception {
            AtomicReference<String> mdc = new AtomicReference<>();
            io.on(
                    "m",
                    (s, a) -> mdc.set(MDC.get("sio.sid") + "|" + MDC.get("sio.nsp") + "|" + MDC.get("sio.event") + "|"
                            + Thread.currentThread().isVirtual()));
            FakeEngineSocket c = new FakeEngineSocket(io);
            String sid = c.connect("/");
            c.deliver("2[\"m\"]");
            await().until(() -> mdc.get() != null);
            if (MDC.getMDCAdapter() instanceof NOPMDCAdapter) {
                // slf4j-simple keeps no MDC; only the thread kind can be checked with it.
                assertThat(mdc.get()).endsWith("|true");
            } else {
                assertThat(mdc.get()).isEqualTo(sid + "|/|m|true");
            }
        }

        @Test
        void onAnyAndPacketMiddlewareSeeEventsAndMiddlewareMayDropThem() throws Exception {
            List<String> seen = new CopyOnWriteArrayList<>();
            List<String> handled = new CopyOnWriteArrayList<>();
            io.onConnect(s -> s.use((sock, event, args, next) -> {
                        if (event.equals("forbidden")) {
                            next.fail(new IllegalArgumentException("nope"));
                        } else {
                            next.proceed();
                        }
                    })
                    .onAny((sock, event, args) -> seen.add(event))
                    .on("forbidden", (sock, a) -> handled.add("forbidden"))
                    .on("allowed", (sock, a) -> handled.add("allowed")));
            io.sockets().onError((s, e, t) -> {});
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"forbidden\"]");
            c.deliver("2[\"allowed\"]");
            await().until(() -> handled.size() == 1);
            assertThat(handled).containsExactly("allowed");
            assertThat(seen).containsExactly("allowed");
        }

        @Test
        void onAnyOutgoingSeesEmits() throws Exception {
            List<String> out = new CopyOnWriteArrayList<>();
            io.onConnect(s -> {
                s.onAnyOutgoing((sock, event, args) -> out.add(event + args.size()));
                s.emit("hello", 1, 2);
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.nextText();
            assertThat(out).containsExactly("hello2");
        }
    }

    @Nested
    class BadInput {
        @Test
        void reservedEventFromClientClosesTheConnection() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"disconnect\"]");
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void eventForANamespaceNotJoinedClosesTheConnection() throws Exception {
            io.of("/other");
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2/other,[\"x\"]");
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void tooManyAttachmentsClosesTheConnection() throws Exception {
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("54-[\"x\"]");
            assertThat(c.isOpen()).isFalse();
        }

        @Test
        void ackForUnknownIdIsIgnored() throws Exception {
            io.onCall("ok", (s, a) -> 1);
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("3999[1]");
            c.deliver("21[\"ok\"]");
            assertThat(c.nextText()).isEqualTo("31[1]");
        }

        @Test
        void parseErrorReachesDisconnectHandlerAsParseError() throws Exception {
            AtomicReference<DisconnectReason> reason = new AtomicReference<>();
            io.onDisconnect((s, r) -> reason.set(r));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2{}");
            await().untilAtomic(reason, Matchers.equalTo(DisconnectReason.PARSE_ERROR));
        }

        @Test
        void reservedNamesAreRefusedByEmitAndOn() throws Exception {
            assertThatThrownBy(() -> io.on("disconnect", (s, a) -> {})).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> io.emit("connect")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> io.onCall("newListener", (s, a) -> 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
