package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.socketio.handler.AnyHandler;
import dev.herald.socketio.handler.EventHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Adding and removing handlers as Node's EventEmitter does, on namespaces and on sockets. */
class ListenersTest {

    private final SocketIoServer io = SocketIoServer.create();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        io.close();
    }

    /** Sends the events, then a call whose answer proves every event before it was handled. */
    private void send(FakeEngineSocket c, String... events) throws InterruptedException {
        for (String e : events) {
            c.deliver("2[\"" + e + "\"," + "\"x\"]");
        }
        c.deliver("299[\"sync\"]");
        assertThat(c.nextText()).isEqualTo("399[]");
    }

    @Nested
    class OnANamespace {

        @Test
        void onceRunsForTheFirstEventOnlyAndOffRemovesEitherKind() throws Exception {
            io.onCall("sync", (s, a) -> null);
            EventHandler kept = (s, a) -> seen.add("kept");
            EventHandler removed = (s, a) -> seen.add("removed");
            io.sockets().on("e", kept).on("e", removed).once("e", (s, a) -> seen.add("once"));
            EventHandler onceRemoved = (s, a) -> seen.add("once-removed");
            io.sockets().once("e", onceRemoved).off("e", removed).off("e", onceRemoved);
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            send(c, "e", "e");
            assertThat(seen).containsExactly("kept", "once", "kept");
        }

        @Test
        void prependAnyRunsFirstAndOffAnyRemoves() throws Exception {
            io.onCall("sync", (s, a) -> null);
            AnyHandler second = (s, e, a) -> seen.add("second " + e);
            AnyHandler gone = (s, e, a) -> seen.add("gone " + e);
            io.sockets()
                    .onAny(second)
                    .onAny(gone)
                    .prependAny((s, e, a) -> seen.add("first " + e))
                    .offAny(gone);
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            send(c, "e");
            assertThat(seen).containsExactly("first e", "second e", "first sync", "second sync");
            io.sockets().offAny();
            seen.clear();
            send(c, "e");
            assertThat(seen).isEmpty();
        }

        @Test
        void offWithoutHandlerRemovesTheValueReturningOneTooAndRemoveAllListenersEverything() throws Exception {
            io.onCall("sync", (s, a) -> null);
            io.sockets()
                    .on("e", (s, a) -> seen.add("e"))
                    .onCall("ask", (s, a) -> 42)
                    .onDisconnect((s, r) -> seen.add("disconnect"));
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("21[\"ask\"]");
            assertThat(c.nextText()).isEqualTo("31[42]");
            io.sockets().off("ask");
            c.deliver("22[\"ask\"]");
            c.assertNothingWithin(100);
            io.sockets().removeAllListeners().onCall("sync", (s, a) -> null);
            send(c, "e");
            c.close();
            assertThat(seen).isEmpty();
        }
    }

    @Nested
    class OnASocket {

        @Test
        void theSameOperationsWorkPerSocket() throws Exception {
            io.onCall("sync", (s, a) -> null);
            io.onConnect(s -> {
                EventHandler removed = (x, a) -> seen.add("removed");
                AnyHandler any = (x, e, a) -> seen.add("any " + e);
                AnyHandler out = (x, e, a) -> seen.add("out " + e);
                s.on("e", (x, a) -> seen.add("on"))
                        .on("e", removed)
                        .off("e", removed)
                        .once("e", (x, a) -> {
                            seen.add("once");
                            x.emit("reply");
                        })
                        .onAny(any)
                        .prependAny((x, e, a) -> seen.add("first " + e))
                        .offAny(any)
                        .onAnyOutgoing(out)
                        .prependAnyOutgoing((x, e, a) -> seen.add("out-first " + e));
                s.offAnyOutgoing(out);
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"e\",\"x\"]");
            assertThat(c.nextText()).isEqualTo("2[\"reply\"]");
            send(c);
            assertThat(seen).containsExactly("first e", "on", "once", "out-first reply", "first sync");
            seen.clear();
            Socket socket = io.sockets().sockets().values().iterator().next();
            socket.removeAllListeners();
            send(c, "e");
            assertThat(seen).isEmpty();
        }
    }
}
