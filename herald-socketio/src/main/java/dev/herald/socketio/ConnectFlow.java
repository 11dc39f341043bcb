package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.adapter.SessionRestore;
import dev.herald.socketio.handler.ConnectHandler;
import dev.herald.socketio.handler.Middleware;
import dev.herald.socketio.handler.RecoveryFailedHandler;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a socket joins its {@link Namespace}: the session it resumes, if any (connection state
 * recovery), its middlewares, its admission by the adapter (rooms, CONNECT reply, missed packets),
 * then the recovery-failed and connect handlers. One per namespace.
 *
 * <p>Threading: {@link #add} on the connection's event loop; restores on a virtual thread; the
 * rest on the new socket's virtual thread.
 */
final class ConnectFlow {

    private static final Logger log = LoggerFactory.getLogger(ConnectFlow.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Namespace nsp;
    private final SocketIoServer server;
    // Any thread: sockets between their close and the end of their disconnect flow, by id; only
    // with connection state recovery, where a resumed socket reuses the id.
    private final Map<String, Socket> leaving = new ConcurrentHashMap<>();
    // Any thread: the connected sockets by private session id, with connection state recovery.
    private final Map<String, Socket> byPid = new ConcurrentHashMap<>();

    ConnectFlow(Namespace nsp) {
        this.nsp = nsp;
        this.server = nsp.server();
    }

    /** A socket left the namespace's map (any thread): it no longer holds its session here. */
    void forget(Socket socket) {
        socket.pid().ifPresent(pid -> byPid.remove(pid, socket));
        if (socket.pid().isPresent() && !socket.gone().isDone()) {
            leaving.put(socket.id(), socket);
            socket.gone().whenComplete((v, e) -> leaving.remove(socket.id(), socket));
        }
    }

    /**
     * A client asked to join (event loop). With connection state recovery on, a client that holds
     * a session id asks the adapter for its session first (an adapter backed by a remote store
     * answers later, off the loop). Middlewares and connect handlers run on the new socket's
     * virtual thread.
     */
    void add(Client client, JsonNode auth) {
        Optional<ConnectionStateRecovery> recovery = server.options().connectionStateRecovery();
        JsonNode pid = auth.path("pid");
        if (recovery.isEmpty() || client.legacy() || !pid.isTextual()) {
            start(client, auth, Optional.empty());
            return;
        }
        JsonNode offset = auth.path("offset");
        Optional<String> clientOffset = offset.isTextual() ? Optional.of(offset.asText()) : Optional.empty();
        // Off the loop: the adapter may answer later, and taking over a stale connection waits.
        client.restoring(nsp.name(), true);
        server.threads().async(() -> {
            SessionRestore restore = restore(client, pid.asText(), clientOffset);
            client.restoring(nsp.name(), false);
            start(client, auth, Optional.of(restore));
        });
    }

    /**
     * Asks the adapter for the session. If it has none because the socket that holds it is still
     * connected here (its client has already reconnected, but the server has not seen the old
     * connection die: a half-open TCP connection waits for the ping timeout, up to 45 s), that old
     * connection is closed first: it is a recoverable close, so the session is kept, and taken.
     * Node refuses recovery in that case.
     */
    private SessionRestore restore(Client client, String pid, Optional<String> offset) {
        SessionRestore first = outcome(pid, offset);
        if (!(first instanceof SessionRestore.Failed f && f.reason() == RecoveryFailure.UNKNOWN_SESSION)) {
            return first;
        }
        Socket stale = holder(pid);
        if (stale == null) {
            // Its close may have kept the session since the first look.
            return outcome(pid, offset);
        }
        if (stale.client() == client) {
            return first;
        }
        log.debug(
                "session {} is still held by a connection not yet seen closed; closing it, nsp={}",
                stale.id(),
                nsp.name());
        if (stale.connected()) {
            stale.client().closeEngine();
        }
        stale.gone().join();
        return outcome(pid, offset);
    }

    private static Optional<SessionRestore.Restored> restored(Optional<SessionRestore> attempt) {
        return attempt.flatMap(a -> a instanceof SessionRestore.Restored r ? Optional.of(r) : Optional.empty());
    }

    private SessionRestore outcome(String pid, Optional<String> offset) {
        try {
            return nsp.adapter().restoreSession(pid, offset).join();
        } catch (RuntimeException e) {
            log.warn("connection state recovery failed in the adapter, nsp={}: {}", nsp.name(), e.toString());
            return SessionRestore.failed(RecoveryFailure.ADAPTER_ERROR);
        }
    }

    private void start(Client client, JsonNode auth, Optional<SessionRestore> attempt) {
        Handshake handshake = client.handshake(auth);
        Optional<SessionRestore.Restored> restored = restored(attempt);
        String id = restored.map(r -> r.session().sid()).orElseGet(ConnectFlow::newSocketId);
        String pid = server.options().connectionStateRecovery().isEmpty() || client.legacy()
                ? null
                : restored.map(r -> r.session().pid()).orElseGet(ConnectFlow::newSocketId);
        Socket socket = new Socket(client, nsp, id, pid, restored.isPresent(), handshake);
        client.connecting(nsp.name(), socket);
        socket.mailbox()
                .execute(() -> HandlerThreads.withMdc(socket, "connection", () -> {
                    try {
                        connect(client, socket, attempt);
                    } finally {
                        nsp.endVisit();
                    }
                }));
    }

    private void connect(Client client, Socket socket, Optional<SessionRestore> attempt) {
        Optional<SessionRestore.Restored> restored = restored(attempt);
        boolean skipMiddlewares = restored.isPresent()
                && server.options()
                        .connectionStateRecovery()
                        .map(ConnectionStateRecovery::skipMiddlewares)
                        .orElse(false);
        if (!skipMiddlewares) {
            for (Middleware m : nsp.handlers().middlewares) {
                Throwable failure = server.threads().runMiddleware(next -> m.handle(socket, next));
                if (failure != null) {
                    keepForLater(restored);
                    abandon(socket, false);
                    refuse(client, socket, failure);
                    return;
                }
            }
        }
        // The socket this one resumes must be gone (rooms left, handlers run) before the same id
        // joins again; its disconnect flow may still be running behind a long handler.
        restored.flatMap(r -> departing(r.session().sid()))
                .ifPresent(old -> old.gone().join());
        if (!client.isOpen()) {
            keepForLater(restored);
            abandon(socket, false);
            return;
        }
        nsp.register(socket);
        socket.pid().ifPresent(pid -> byPid.put(pid, socket));
        // Before the reply: the client may send its first event as soon as it has read it.
        client.connected(nsp.name(), socket);
        restored.ifPresent(r -> socket.restoreData(r.session().data()));
        // In its rooms first, the reply next, then connected: a broadcast in between waits in the
        // socket and follows the reply, so none overtakes it and none made after it is missed.
        Set<String> rooms = restored.map(r -> r.session().rooms()).orElse(Set.of(socket.id()));
        boolean pause = !nsp.handlers().connect.isEmpty()
                && "websocket".equals(client.engine().transport());
        boolean[] admitted = {false};
        nsp.adapter().admit(socket.id(), rooms, restored, admission -> {
            socket.startOffset(admission.startOffset());
            admitted[0] = socket.lifecycle()
                    .admit(
                            () -> {
                                writeConnectReply(client, socket);
                                for (Packet p : admission.missed()) {
                                    client.writePacket(p);
                                }
                            },
                            pause ? () -> awaitReplySent(client) : null);
        });
        if (!admitted[0]) {
            keepForLater(restored);
            abandon(socket, true);
            return;
        }
        Observers observers = server.observers();
        if (observers.active()) {
            observers.socketConnected(socket);
        }
        try {
            if (!runHandlers(client, socket, attempt)) {
                return;
            }
        } finally {
            socket.lifecycle().connectHandlersDone();
        }
        if (!socket.lifecycle().greet()) {
            // Closed before its reply went out; its disconnect flow, queued behind this one, cleans up.
            keepForLater(restored);
            return;
        }
        socket.settle();
    }

    /**
     * The recovery-failed and connect handlers, before or after the CONNECT reply: it goes out at
     * the socket's first write or when they return. A {@link ConnectionRefusedException} thrown
     * before it went out refuses the connection (CONNECT_ERROR, as a middleware's would); after,
     * it disconnects the socket. False when the socket was refused.
     */
    private boolean runHandlers(Client client, Socket socket, Optional<SessionRestore> attempt) {
        if (attempt.orElse(null) instanceof SessionRestore.Failed failed) {
            for (RecoveryFailedHandler h : nsp.handlers().recoveryFailed) {
                try {
                    h.handle(socket, failed.reason());
                } catch (Throwable t) {
                    nsp.reportError(socket, "connection", t);
                }
            }
        }
        for (ConnectHandler h : nsp.handlers().connect) {
            try {
                h.handle(socket);
            } catch (ConnectionRefusedException refused) {
                if (socket.lifecycle().refuseBeforeGreeting()) {
                    abandon(socket, true);
                    // No disconnect flow follows a refusal; observers saw the admission, so they see the end here.
                    if (server.observers().active()) {
                        server.observers().socketDisconnected(socket, DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
                    }
                    refuse(client, socket, refused);
                } else {
                    log.debug(
                            "connection refused by a connect handler after the reply, disconnecting, nsp={}",
                            nsp.name());
                    socket.disconnect();
                }
                return false;
            } catch (Throwable t) {
                nsp.reportError(socket, "connection", t);
            }
        }
        return true;
    }

    private void writeConnectReply(Client client, Socket socket) {
        if (client.legacy()) {
            client.writePacket(Packet.of(PacketType.CONNECT, nsp.name()));
            return;
        }
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("sid", socket.id());
        socket.pid().ifPresent(pid -> reply.put("pid", pid));
        client.writePacket(new Packet(PacketType.CONNECT, nsp.name(), reply));
    }

    /** A resumed session whose connect did not complete stays resumable, as it was before the attempt. */
    private void keepForLater(Optional<SessionRestore.Restored> restored) {
        restored.ifPresent(r -> nsp.adapter().persistSession(r.session()));
    }

    /**
     * The socket that holds the session: connected here, or closed but not through its disconnect
     * flow yet (a socket closed while its connect handlers ran keeps its session at the end of
     * them, in that flow).
     */
    private Socket holder(String pid) {
        Socket connected = byPid.get(pid);
        if (connected != null) {
            return connected;
        }
        for (Socket s : leaving.values()) {
            if (s.pid().filter(pid::equals).isPresent()) {
                return s;
            }
        }
        return null;
    }

    /** The socket with this id that is leaving or has left but not finished its disconnect flow. */
    private Optional<Socket> departing(String id) {
        return Optional.ofNullable(leaving.get(id));
    }

    /**
     * Lets the CONNECT reply leave before the connect handlers' first emit is written. The
     * reference writes a WebSocket frame only from the previous write's callback, so its first
     * event never shares a TCP read with the reply; some clients (npm {@code ws} 8.5, used by the
     * official suite) drop the second of two frames read at once. The same order here: this
     * thread goes on once the engine says the reply was handed to the operating system. Only over
     * WebSocket (polling packs packets into one response anyway) and only when a connect handler
     * may emit.
     */
    private void awaitReplySent(Client client) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        client.engine().whenSent(() -> sent.complete(null));
        try {
            // Bounded: a peer that reads nothing is closed by its ping timeout, which also ends this.
            sent.get(server.options().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug(
                    "CONNECT reply not written within connectTimeout, sid={}",
                    client.engine().id());
        }
    }

    private void refuse(Client client, Socket socket, Throwable failure) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (failure instanceof ConnectionRefusedException refused) {
            body.put("message", refused.getMessage());
            refused.data().ifPresent(d -> body.set("data", d));
        } else {
            // An unexpected exception is a server bug: report it, tell the client nothing about it.
            nsp.reportError(socket, "connection", failure);
            body.put("message", "Internal server error");
        }
        log.debug("connection refused, nsp={}", nsp.name());
        // v4 clients get the data if any, else the message, as socket.io 2.x sent them.
        JsonNode payload = !client.legacy() ? body : body.has("data") ? body.get("data") : body.get("message");
        client.writePacket(new Packet(PacketType.CONNECT_ERROR, nsp.name(), payload));
    }

    /** The connect flow gave up (refused, or closed meanwhile): the socket leaves what it had joined. */
    private static void abandon(Socket socket, boolean admitted) {
        socket.lifecycle().abandon();
        Namespace nsp = socket.namespace();
        if (admitted) {
            nsp.adapter().delAll(socket.id());
        }
        nsp.remove(socket);
        socket.client().remove(socket);
        socket.gone().complete(null);
    }

    private static String newSocketId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
