package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.BroadcastOptions;
import dev.herald.socketio.handler.AnyHandler;
import dev.herald.socketio.internal.Json;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one socket sends its client: events (plain, volatile, compressed or not, with an ack), the
 * acks it answers, and the acks it waits for. The outgoing listeners see every event it sends.
 *
 * <p>Threading: any thread; an emit is encoded on the caller's thread and handed to the
 * connection's event loop.
 */
final class SocketOutbox {

    private static final Logger log = LoggerFactory.getLogger(SocketOutbox.class);
    private static final VarHandle ACKS;

    static {
        try {
            ACKS = MethodHandles.lookup().findVarHandle(SocketOutbox.class, "acks", SocketAcks.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Socket socket;
    private final Namespace nsp;
    private final Client client;
    private final SocketLifecycle life;
    // Whether the socket's emits go through the adapter, which keeps them for recovery.
    private final boolean recoverable;
    // Any thread: acks this socket still waits for; created by the first emitWithAck.
    private volatile SocketAcks acks;

    SocketOutbox(Socket socket, Namespace nsp, Client client, SocketLifecycle life, boolean recoverable) {
        this.socket = socket;
        this.nsp = nsp;
        this.client = client;
        this.life = life;
        this.recoverable = recoverable;
    }

    void emit(boolean compress, String event, Object... args) {
        ReservedEvents.check(event);
        Packet packet = new Packet(PacketType.EVENT, nsp.name(), Json.arrayOf(event, args));
        if (recoverable) {
            // As socket.io: through the adapter, which keeps it (with its offset) for a replay if
            // this client is away now or loses it on the way.
            nsp.adapter()
                    .broadcast(
                            packet,
                            new BroadcastOptions(
                                    Set.of(socket.id()), Set.of(), BroadcastFlags.DEFAULT.withCompress(compress)));
            return;
        }
        life.greet();
        notifyOutgoing(packet);
        client.writePacket(packet, compress);
    }

    void emitVolatile(String event, Object... args) {
        ReservedEvents.check(event);
        if (life.closed()) {
            return;
        }
        Packet packet = new Packet(PacketType.EVENT, nsp.name(), Json.arrayOf(event, args));
        life.greet();
        notifyOutgoing(packet);
        client.write(nsp.server().options().parser().encode(packet), true);
    }

    CompletableFuture<EventArgs> emitWithAck(Optional<Duration> timeout, String event, Object... args) {
        ReservedEvents.check(event);
        SocketIoServer server = nsp.server();
        // Checked, not reserved: two racing callers may both pass at the limit; the bound is
        // approximate by a few, which is all it needs to be.
        SocketAcks acks = acks();
        if (acks.size() >= server.options().maxPendingAcks()) {
            return CompletableFuture.failedFuture(new SocketIoException("too many pending acks (maxPendingAcks="
                    + server.options().maxPendingAcks() + "), event not sent"));
        }
        if (life.closed()) {
            // Before the timer: after close() the scheduler is gone.
            CompletableFuture<EventArgs> future = new CompletableFuture<>();
            server.threads()
                    .async(() -> future.completeExceptionally(new AckTimeoutException("socket has been disconnected")));
            return future;
        }
        long ackId = nsp.nextAckId();
        CompletableFuture<EventArgs> future = acks.expect(ackId, timeout);
        if (life.closed()) {
            acks.fail(ackId, "socket has been disconnected");
            return future;
        }
        Packet packet = new Packet(PacketType.EVENT, nsp.name(), Json.arrayOf(event, args), ackId);
        life.greet();
        notifyOutgoing(packet);
        client.writePacket(packet);
        return future;
    }

    /** Blocks for an ack; what {@code call} does. */
    static EventArgs await(CompletableFuture<EventArgs> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketIoException("interrupted while waiting for an ack", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new SocketIoException("ack failed", e.getCause());
        }
    }

    /**
     * Expects an ack for a broadcast. With a timeout, the expectation ends then (the broadcast
     * reports the missing ack itself); without one, when the socket leaves.
     */
    void expectAck(long ackId, Consumer<ArrayNode> callback, Optional<Duration> timeout) {
        acks().expectBroadcast(ackId, callback, timeout);
    }

    /** An ACK packet from the client. */
    void onAck(Packet packet) {
        SocketAcks a = acks;
        if (a == null || !a.complete(packet.id(), (ArrayNode) packet.data())) {
            log.debug("ack for unknown id, sid={} nsp={}", socket.id(), nsp.name());
        }
    }

    /** The socket left: every ack it waits for fails with this message. */
    void failAll(String message) {
        SocketAcks a = acks;
        if (a != null) {
            a.failAll(message);
        }
    }

    /** Server-to-client acks still awaited. */
    int pendingAcks() {
        SocketAcks a = acks;
        return a == null ? 0 : a.size();
    }

    void sendAck(long ackId, ArrayNode args) {
        client.writePacket(new Packet(PacketType.ACK, nsp.name(), args, ackId));
    }

    void notifyOutgoing(Packet packet) {
        List<AnyHandler> anyOutgoing = socket.handlers().anyOutgoing;
        Observers observers = nsp.server().observers();
        boolean observed = observers.active();
        if (anyOutgoing.isEmpty() && !observed) {
            return;
        }
        JsonNode data = packet.data();
        String event = data.get(0).asText();
        EventArgs args = EventArgs.of(EventDispatch.rest(data));
        if (observed) {
            observers.eventSent(socket, event, args);
        }
        for (AnyHandler h : anyOutgoing) {
            EventDispatch.call(socket, event, () -> h.handle(socket, event, args));
        }
    }

    private SocketAcks acks() {
        SocketAcks a = acks;
        if (a == null) {
            ACKS.compareAndSet(this, null, new SocketAcks(socket));
            a = acks;
        }
        return a;
    }
}
