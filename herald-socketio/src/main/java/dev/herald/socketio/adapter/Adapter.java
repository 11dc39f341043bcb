package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.RecoveryFailure;
import dev.herald.socketio.parser.Packet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The rooms of one {@link Namespace} and the delivery of broadcasts to them: the SPI that scale-out
 * plugs into.
 *
 * <p>{@link InMemoryAdapter} is the single-node implementation and the base class of every other
 * adapter. A cluster adapter (Redis and friends) follows {@code socket.io-adapter}'s
 * {@code cluster-adapter.ts}: it extends {@code InMemoryAdapter}, calls {@code super} for the local
 * part of each operation, and publishes the operation to the other nodes unless
 * {@link BroadcastFlags#local()} is set. Operations that need answers from other nodes
 * ({@link #sockets}, {@link #fetchSockets}, {@link #broadcastWithAck},
 * {@link #serverSideEmitWithAck}) are asynchronous for that reason.
 *
 * <p>Packets cross the SPI as {@link Packet}s whose data is a Jackson tree with binary attachments
 * already in place ({@link com.fasterxml.jackson.databind.node.BinaryNode}), so they can be
 * re-encoded with any Jackson format; the adapter encodes once per broadcast for local delivery.
 *
 * <p>Threading: every method may be called from any thread (the caller is user code on a virtual
 * thread, or an engine event loop for joins on connect and leaves on close), concurrently.
 * Implementations must not block in {@link #addAll}, {@link #del}, {@link #delAll} or
 * {@link #broadcast}.
 */
public interface Adapter {

    /** Called once, after construction, before the namespace takes its first socket. */
    default void init() {}

    /** Called once, when the server closes. */
    default void close() {}

    /** How many server nodes share this namespace; 1 for a single node. */
    default int serverCount() {
        return 1;
    }

    /** Adds a local socket to rooms (its personal room is one of them on connect). */
    void addAll(String socketId, Set<String> rooms);

    /** Removes a local socket from one room. */
    void del(String socketId, String room);

    /** Removes a local socket from every room, as it disconnects. */
    void delAll(String socketId);

    /**
     * Delivers a packet to every socket in {@code opts.rooms()} (every socket of the namespace when
     * empty), except those in {@code opts.except()}. The packet is encoded once; every recipient
     * gets the same {@link dev.herald.engineio.Message} instances.
     */
    void broadcast(Packet packet, BroadcastOptions opts);

    /**
     * Like {@link #broadcast}, but asks every recipient for an ack.
     *
     * @param clientCountCallback told how many recipients the packet reached (called once per node
     *     that delivered it, so a cluster adapter calls it once per answering node)
     * @param ack called with each recipient's ack arguments (a JSON array), from any thread
     */
    void broadcastWithAck(
            Packet packet, BroadcastOptions opts, IntConsumer clientCountCallback, Consumer<ArrayNode> ack);

    /** The ids of the sockets in any of the rooms (every socket when empty), on every node. */
    CompletableFuture<Set<String>> sockets(Set<String> rooms);

    /** The rooms of one local socket, if it is connected here. */
    Optional<Set<String>> socketRooms(String socketId);

    /** A snapshot of the matching sockets, on every node unless {@code local}. */
    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts);

    /** Makes the matching sockets join the rooms. */
    void addSockets(BroadcastOptions opts, Set<String> rooms);

    /** Makes the matching sockets leave the rooms. */
    void delSockets(BroadcastOptions opts, Set<String> rooms);

    /** Disconnects the matching sockets; {@code close} also closes their connections. */
    void disconnectSockets(BroadcastOptions opts, boolean close);

    /**
     * Sends an event to the namespace on the other nodes (never to clients). A single node has no
     * other nodes, so {@link InMemoryAdapter} throws {@link UnsupportedOperationException}, as the
     * reference does.
     */
    void serverSideEmit(String event, ArrayNode args);

    /** Like {@link #serverSideEmit}, collecting one ack per other node within the timeout. */
    CompletableFuture<List<JsonNode>> serverSideEmitWithAck(String event, ArrayNode args, Duration timeout);

    /** The rooms with at least one local socket (personal rooms included). */
    Set<String> rooms();

    // ---------------------------------------------------------------- connection state recovery

    /**
     * Makes a connecting local socket visible to broadcasts: it joins {@code rooms}, and
     * {@code greeting} runs once with the packets it missed (none for a fresh session), to write
     * the CONNECT reply and then those packets. Until the socket is marked connected, right after,
     * what broadcasts write to it waits in the socket behind the reply. An adapter that keeps
     * packets for recovery must let no recoverable broadcast in between the computing of the
     * missed packets and the join, so that every packet is either among the missed ones or
     * delivered live, never both, never neither.
     *
     * @param restored the session being resumed, if any: its rooms decide which kept packets it
     *     missed, and its {@link SessionRestore.Restored#replayFrom()} where they start
     */
    default void admit(
            String socketId,
            Set<String> rooms,
            Optional<SessionRestore.Restored> restored,
            Consumer<Admission> greeting) {
        addAll(socketId, rooms);
        greeting.accept(Admission.FRESH);
    }

    /**
     * Keeps a disconnected socket's session for {@code maxDisconnectionDuration}, so that its
     * client can resume it. Called once per recoverable disconnect (as socket.io does: transport
     * close or error, ping timeout, server shutdown), before the socket leaves its rooms.
     */
    default void persistSession(PersistedSession session) {}

    /**
     * Finds the session a reconnecting client asks for, taking it out of the store (a session is
     * resumed at most once; it is persisted again at its next disconnect).
     *
     * @param pid the private session id the client sent
     * @param offset the offset of the last packet the client got, if it got any
     */
    default CompletableFuture<SessionRestore> restoreSession(String pid, Optional<String> offset) {
        return CompletableFuture.completedFuture(SessionRestore.failed(RecoveryFailure.NOT_SUPPORTED));
    }
}
