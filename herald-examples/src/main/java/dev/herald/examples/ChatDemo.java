package dev.herald.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.RemoteSocket;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat with rooms on {@code /chat}. {@code join {name, room}} is acknowledged with
 * {@code {ok:true, room}} or {@code {ok:false, error}}; {@code chat {text}} goes to the sender's
 * room as {@code chat {name, text}}; {@code leave} leaves it. Every join, leave and disconnect sends
 * {@code presence {room, members}} to the room and {@code notice {text}} to the others in it. A
 * socket's name and room live in {@code socket.data()}. On a cluster ({@code --redis}) all of this
 * spans the nodes: the members come from {@code fetchSockets()}, which asks every node.
 */
public final class ChatDemo {

    static final String NAMESPACE = "/chat";
    static final int MAX_NAME = 40;
    static final int MAX_TEXT = 2000;
    private static final String NAME = "chat.name";
    private static final String ROOM = "chat.room";
    /** How long a join or leave waits for the other nodes' members; their adapter's own bound is 5 s. */
    private static final Duration PRESENCE_TIMEOUT = Duration.ofSeconds(6);

    private static final Logger LOG = LoggerFactory.getLogger(ChatDemo.class);

    private final Namespace nsp;
    // Membership changes and the presence lists they send happen under this lock, so two joins at
    // once cannot send a room's members in the wrong order.
    private final Object membership = new Object();

    ChatDemo(SocketIoServer io) {
        this.nsp = Objects.requireNonNull(io, "io").of(NAMESPACE);
    }

    /** Registers the handlers on {@code /chat}. */
    void register() {
        nsp.onCall("join", this::join);
        nsp.on("chat", this::chat);
        nsp.on("leave", (socket, args) -> leave(socket));
        // The socket has already left the namespace here, so it is not among the members sent.
        nsp.onDisconnect((socket, reason) -> leave(socket));
    }

    private Object join(Socket socket, EventArgs args) {
        JsonNode req = args.isEmpty() ? null : args.node(0);
        String name = text(req, "name");
        String room = text(req, "room");
        if (name.isEmpty() || room.isEmpty()) {
            return Map.of("ok", false, "error", "name and room must not be blank");
        }
        if (name.length() > MAX_NAME || room.length() > MAX_NAME) {
            return Map.of("ok", false, "error", "name and room are at most " + MAX_NAME + " characters");
        }
        synchronized (membership) {
            leave(socket);
            socket.data().put(NAME, name);
            socket.data().put(ROOM, room);
            socket.join(room);
            socket.to(room).emit("notice", Map.of("text", name + " joined"));
            sendPresence(room);
        }
        return Map.of("ok", true, "room", room);
    }

    private void chat(Socket socket, EventArgs args) {
        String text = args.isEmpty() ? "" : text(args.node(0), "text");
        if (socket.data().get(ROOM) instanceof String room && !text.isEmpty()) {
            String name = (String) socket.data().get(NAME);
            nsp.to(room).emit("chat", Map.of("name", name, "text", truncate(text, MAX_TEXT)));
        }
    }

    /** Leaves the socket's room, if any, and tells the ones still there. */
    private void leave(Socket socket) {
        synchronized (membership) {
            if (!(socket.data().remove(ROOM) instanceof String room)) {
                return;
            }
            String name = (String) socket.data().remove(NAME);
            socket.leave(room);
            nsp.to(room).emit("notice", Map.of("text", name + " left"));
            sendPresence(room);
        }
    }

    private void sendPresence(String room) {
        nsp.to(room).emit("presence", Map.of("room", room, "members", members(room)));
    }

    /**
     * The names in the room on every node of the cluster (on a single node, its own sockets). A
     * node that does not answer in time is left out rather than holding up the room.
     */
    private List<String> members(String room) {
        List<RemoteSocket> sockets;
        try {
            sockets = nsp.to(room).fetchSockets().get(PRESENCE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("presence of a room from this node only: {}", e.toString());
            sockets = nsp.to(room).local().fetchSockets().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sockets = nsp.to(room).local().fetchSockets().join();
        }
        return sockets.stream()
                .map(s -> s.data().get(NAME))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .sorted()
                .toList();
    }

    private static String text(JsonNode node, String field) {
        return node == null ? "" : node.path(field).asText("").trim();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
