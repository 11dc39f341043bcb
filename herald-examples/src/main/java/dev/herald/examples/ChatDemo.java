package dev.herald.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chat with rooms on {@code /chat}. {@code join {name, room}} is acknowledged with
 * {@code {ok:true, room}} or {@code {ok:false, error}}; {@code chat {text}} goes to the sender's
 * room as {@code chat {name, text}}; {@code leave} leaves it. Every join, leave and disconnect sends
 * {@code presence {room, members}} to the room and {@code notice {text}} to the others in it. A
 * socket's name and room live in {@code socket.data()}.
 */
public final class ChatDemo {

    static final String NAMESPACE = "/chat";
    static final int MAX_NAME = 40;
    static final int MAX_TEXT = 2000;
    private static final String NAME = "chat.name";
    private static final String ROOM = "chat.room";

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
        List<String> members = nsp.sockets().values().stream()
                .filter(s -> room.equals(s.data().get(ROOM)))
                .map(s -> (String) s.data().get(NAME))
                .sorted()
                .toList();
        nsp.to(room).emit("presence", Map.of("room", room, "members", members));
    }

    private static String text(JsonNode node, String field) {
        return node == null ? "" : node.path(field).asText("").trim();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
