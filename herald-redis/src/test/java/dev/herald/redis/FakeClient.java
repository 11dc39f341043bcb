package dev.herald.redis;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.Message;
import dev.herald.socketio.SocketIoServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Socket.IO client wired straight to a {@link SocketIoServer}'s Engine.IO connection handler,
 * without a network: it speaks Socket.IO v5 text packets and records what the server writes. The
 * cluster tests use it for the sockets on Herald nodes, so they exercise the adapters, not the
 * transports.
 */
final class FakeClient implements EngineSocket {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One EVENT the server wrote: its name, arguments and ack id ({@code -1} without). */
    record Event(String name, ArrayNode args, long ackId) {}

    private final String id = UUID.randomUUID().toString();
    private final String nsp;
    private final HandshakeRequest request;
    private final List<Message> written = new CopyOnWriteArrayList<>();
    // Set once in connect, read by the test thread afterwards.
    private EngineSocketListener listener;
    private volatile boolean open = true;
    private volatile String sid;

    private FakeClient(String nsp) {
        this.nsp = nsp;
        this.request = new HandshakeRequest(
                Map.of("user-agent", List.of("fake")),
                Map.of("EIO", "4", "transport", "websocket"),
                "/socket.io/?EIO=4&transport=websocket",
                new InetSocketAddress("127.0.0.1", 40000),
                false,
                Instant.now());
    }

    /** Connects to a namespace with this auth payload and waits for the CONNECT answer. */
    static FakeClient connect(SocketIoServer server, String nsp, JsonNode auth) {
        var client = new FakeClient(nsp);
        client.listener = server.connectionHandler().onOpen(client);
        client.listener.onMessage(client, Message.text("0" + client.prefix() + auth));
        await().atMost(TIMEOUT).until(() -> client.sid != null || client.refused());
        return client;
    }

    /**
     * Connects to {@code /} of a node made by {@link RedisAdapterTest#node} with auth {@code
     * {name, rooms}}, and waits until its connect handler has joined the rooms.
     */
    static FakeClient member(SocketIoServer server, String name, String... rooms) {
        var auth = JSON.createObjectNode();
        auth.put("name", name);
        var array = auth.putArray("rooms");
        for (var room : rooms) {
            array.add(room);
        }
        var client = connect(server, "/", auth);
        // the connect handler joins the rooms on a handler thread: wait until they are visible
        await().atMost(TIMEOUT)
                .until(() -> server.sockets()
                        .adapter()
                        .socketRooms(client.sid())
                        .map(r -> r.containsAll(List.of(rooms)))
                        .orElse(false));
        return client;
    }

    /** The Socket.IO socket id the server gave. */
    String sid() {
        return sid;
    }

    /** The EVENTs with this name the server wrote so far. */
    List<Event> events(String name) {
        return written.stream()
                .filter(m -> !m.isBinary())
                .map(m -> parseEvent(m.text()))
                .filter(e -> e != null && e.name().equals(name))
                .toList();
    }

    /** Waits for the first EVENT with this name. */
    Event awaitEvent(String name) {
        await().atMost(TIMEOUT).until(() -> !events(name).isEmpty());
        return events(name).getFirst();
    }

    /** Answers an EVENT that asked for an ack. */
    void ack(Event event, Object... args) {
        listener.onMessage(this, Message.text("3" + prefix() + event.ackId() + JSON.valueToTree(List.of(args))));
    }

    /** Whether the server sent a DISCONNECT for this namespace, or closed the connection. */
    boolean disconnected() {
        return !open || written.stream().anyMatch(m -> !m.isBinary() && m.text().equals("1" + prefix()));
    }

    /** The client goes away, as a closed transport. */
    void drop() {
        open = false;
        listener.onClose(this, CloseReason.TRANSPORT_CLOSE, "test");
    }

    private boolean refused() {
        return written.stream().anyMatch(m -> !m.isBinary() && m.text().startsWith("4" + prefix()));
    }

    private String prefix() {
        return nsp.equals("/") ? "" : nsp + ",";
    }

    private Event parseEvent(String text) {
        // "2<nsp,><id>[...]", or "5<n>-<nsp,><id>[...]" with attachment placeholders
        int start;
        if (text.startsWith("2" + prefix())) {
            start = 1 + prefix().length();
        } else if (text.startsWith("5") && text.indexOf('-') > 1 && text.startsWith(prefix(), text.indexOf('-') + 1)) {
            start = text.indexOf('-') + 1 + prefix().length();
        } else {
            return null;
        }
        int bracket = text.indexOf('[', start);
        if (bracket < 0) {
            return null;
        }
        long ackId = bracket > start ? Long.parseLong(text.substring(start, bracket)) : -1;
        try {
            var array = (ArrayNode) JSON.readTree(text.substring(bracket));
            var args = JSON.createArrayNode();
            for (int i = 1; i < array.size(); i++) {
                args.add(array.get(i));
            }
            return new Event(array.get(0).asText(), args, ackId);
        } catch (Exception e) {
            return null;
        }
    }

    // ---- EngineSocket ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public int protocol() {
        return 4;
    }

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void send(Message message) {
        written.add(message);
        if (!message.isBinary() && message.text().startsWith("0" + prefix()) && sid == null) {
            try {
                sid = JSON.readTree(message.text().substring(1 + prefix().length()))
                        .path("sid")
                        .asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void send(List<Message> messages) {
        messages.forEach(this::send);
    }

    @Override
    public void close() {
        open = false;
    }
}
