package dev.herald.engineio;

import dev.herald.engineio.transport.FakeEngineRequest;
import dev.herald.engineio.transport.FakeWebSocketConnection;
import dev.herald.engineio.transport.ManualSessionExecutor;
import dev.herald.engineio.transport.WebSocketConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An {@link EngineIoServer} driven in process, without a network: one {@link ManualSessionExecutor}
 * is every event loop, requests are {@link FakeEngineRequest}s and WebSockets
 * {@link FakeWebSocketConnection}s, and the layer above is a recorder of what the engine delivers.
 * Every helper runs the executor's pending tasks before it returns, so a test sees the state after
 * the engine has handled what it was given; virtual time moves only with {@link #advance}.
 *
 * <p>Threading: the test thread only.
 */
final class EngineHarness {

    final ManualSessionExecutor loop = new ManualSessionExecutor();
    final EngineIoServer server;
    // Recorded on the loop, which runs on the test thread.
    final List<EngineSocket> opened = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final Map<String, CloseReason> closeReasons = new LinkedHashMap<>();
    final Map<String, Integer> closeCount = new LinkedHashMap<>();

    EngineHarness() {
        this(b -> {});
    }

    EngineHarness(Consumer<EngineIoOptions.Builder> options) {
        EngineIoOptions.Builder b = EngineIoOptions.builder();
        options.accept(b);
        server = EngineIoServer.create(b.build(), socket -> {
            opened.add(socket);
            return new EngineSocketListener() {
                @Override
                public void onMessage(EngineSocket s, Message m) {
                    events.add("message " + (m.isBinary() ? "<binary " + m.binary().length + ">" : m.text()));
                }

                @Override
                public void onUpgrade(EngineSocket s, String transport) {
                    events.add("upgrade " + transport);
                }

                @Override
                public void onClose(EngineSocket s, CloseReason reason, String description) {
                    events.add("close " + reason.wire());
                    closeReasons.put(s.id(), reason);
                    closeCount.merge(s.id(), 1, Integer::sum);
                }
            };
        });
    }

    /** A polling handshake; returns its sid. */
    String handshakePolling() {
        FakeEngineRequest req = FakeEngineRequest.get(loop, "EIO=4&transport=polling");
        server.handleRequest(req);
        loop.runPending();
        String body = req.answer().text();
        if (!body.startsWith("0{\"sid\":\"")) {
            throw new AssertionError("not an open packet: " + body);
        }
        return body.substring(9, body.indexOf('"', 9));
    }

    /** A GET on the session's polling transport, handled; it may be parked (not answered yet). */
    FakeEngineRequest poll(String sid) {
        return request(FakeEngineRequest.get(loop, "EIO=4&transport=polling&sid=" + sid));
    }

    /** A POST of this payload to the session, handled. */
    FakeEngineRequest post(String sid, String payload) {
        return request(FakeEngineRequest.post(loop, "EIO=4&transport=polling&sid=" + sid, payload));
    }

    FakeEngineRequest request(FakeEngineRequest req) {
        server.handleRequest(req);
        loop.runPending();
        return req;
    }

    /** A WebSocket handshake without a sid; the open packet is its first frame. */
    FakeWebSocketConnection openWebSocket() {
        return webSocket("EIO=4&transport=websocket");
    }

    /** A WebSocket with the session's sid: the upgrade probe. */
    FakeWebSocketConnection probe(String sid) {
        return webSocket("EIO=4&transport=websocket&sid=" + sid);
    }

    private FakeWebSocketConnection webSocket(String query) {
        FakeWebSocketConnection ws = new FakeWebSocketConnection(loop);
        HandshakeRequest r = FakeEngineRequest.get(loop, query).request();
        // The transport calls openWebSocket on the connection's loop.
        WebSocketConnection.Listener l = onLoop(() -> server.openWebSocket(r, ws));
        ws.listener(l);
        return ws;
    }

    /** The full client side of an upgrade: probe, 3probe, then 5; returns the new transport. */
    FakeWebSocketConnection upgrade(String sid) {
        FakeWebSocketConnection ws = probe(sid);
        ws.receive("2probe");
        loop.runPending();
        if (!ws.takeTexts().equals(List.of("3probe"))) {
            throw new AssertionError("no 3probe");
        }
        ws.receive("5");
        loop.runPending();
        return ws;
    }

    /** Runs a call on the loop, as a transport's event loop would, and returns its result. */
    <T> T onLoop(Supplier<T> call) {
        List<T> out = new ArrayList<>(1);
        loop.execute(() -> out.add(call.get()));
        loop.runPending();
        return out.get(0);
    }

    /** The session the layer above was told of, by sid. */
    EngineSocket socket(String sid) {
        return opened.stream()
                .filter(s -> s.id().equals(sid))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session " + sid + " was opened"));
    }

    void advance(Duration d) {
        loop.advance(d);
    }
}
