package dev.herald.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.parser.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What the adapter package needs of the API classes beyond their public methods: the local
 * sockets of a namespace and the writes into them. The API package installs the one
 * implementation; this package is not exported, so applications cannot reach it.
 *
 * <p>The same device as the JDK's {@code SharedSecrets}: the adapter SPI lives in its own package
 * (what users' adapters see), while the machinery it drives stays package-private in the API
 * package.
 */
public abstract class SocketIoAccess {

    // Written once, by Namespace's static initializer.
    private static volatile SocketIoAccess instance;

    /** Called once by the API package. */
    public static void install(SocketIoAccess access) {
        instance = access;
    }

    /** The installed bridge; every caller holds a Namespace, whose class initializer installed it. */
    public static SocketIoAccess get() {
        SocketIoAccess access = instance;
        if (access == null) {
            try {
                Class.forName(Namespace.class.getName(), true, Namespace.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = instance;
        }
        return access;
    }

    public abstract ScheduledExecutorService scheduler(SocketIoServer server);

    public abstract Optional<Socket> localSocket(Namespace nsp, String socketId);

    public abstract long nextAckId(Namespace nsp);

    public abstract void deliverServerSideEmit(
            Namespace nsp, String event, ArrayNode args, Optional<Consumer<JsonNode>> ack);

    public abstract void write(Socket socket, List<Message> encoded, BroadcastFlags flags);

    public abstract void notifyOutgoing(Socket socket, Packet packet);

    /**
     * Registers a broadcast ack expected from one socket; a broadcast's collector learns which
     * socket answered, for {@code AckTimeoutException.missingSocketIds()}.
     */
    public abstract void expectBroadcastAck(
            Socket socket, long ackId, Consumer<ArrayNode> ack, Optional<Duration> timeout);

    public abstract SocketDetails details(Socket socket);

    public abstract Optional<PersistedSession> session(Socket socket);

    public abstract EventArgs eventArgs(ArrayNode args);

    /**
     * Whether the namespace's server has {@code SocketIoObserver}s: only then does an adapter
     * report room changes, so an unobserved server pays one volatile read per join or leave.
     */
    public abstract boolean observed(Namespace nsp);

    /** A local socket joined a room it was not in; see {@code SocketIoObserver.roomJoined}. */
    public abstract void roomJoined(Namespace nsp, String room, String socketId);

    /** A local socket left a room; see {@code SocketIoObserver.roomLeft}. */
    public abstract void roomLeft(Namespace nsp, String room, String socketId);

    /**
     * The encoded messages of one packet with the {@code compress} flag set: with false, the
     * engine sends them uncompressed over either transport. The list itself when the flag is true.
     */
    public static List<Message> compressed(List<Message> messages, boolean compress) {
        if (compress) {
            return messages;
        }
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(m.compress(false));
        }
        return out;
    }
}
