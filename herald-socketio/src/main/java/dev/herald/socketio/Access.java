package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.internal.SocketIoAccess;
import dev.herald.socketio.parser.Packet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** The one {@link SocketIoAccess}: the adapter package's way into this package's machinery. */
final class Access extends SocketIoAccess {

    static void install() {
        SocketIoAccess.install(new Access());
    }

    private Access() {}

    @Override
    public ScheduledExecutorService scheduler(SocketIoServer server) {
        return server.scheduler();
    }

    @Override
    public Optional<Socket> localSocket(Namespace nsp, String socketId) {
        return nsp.localSocket(socketId);
    }

    @Override
    public long nextAckId(Namespace nsp) {
        return nsp.nextAckId();
    }

    @Override
    public void deliverServerSideEmit(Namespace nsp, String event, ArrayNode args, Optional<Consumer<JsonNode>> ack) {
        nsp.deliverServerSideEmit(event, args, ack);
    }

    @Override
    public void write(Socket socket, List<Message> encoded, BroadcastFlags flags) {
        socket.write(encoded, flags);
    }

    @Override
    public void notifyOutgoing(Socket socket, Packet packet) {
        socket.outbox().notifyOutgoing(packet);
    }

    @Override
    public void expectBroadcastAck(Socket socket, long ackId, Consumer<ArrayNode> ack, Optional<Duration> timeout) {
        socket.outbox().expectAck(ackId, ack instanceof BroadcastAcks acks ? acks.from(socket.id()) : ack, timeout);
    }

    @Override
    public SocketDetails details(Socket socket) {
        return socket.details();
    }

    @Override
    public Optional<PersistedSession> session(Socket socket) {
        return socket.session();
    }

    @Override
    public EventArgs eventArgs(ArrayNode args) {
        return EventArgs.of(args);
    }

    @Override
    public boolean observed(Namespace nsp) {
        return nsp.server().observers().active();
    }

    @Override
    public void roomJoined(Namespace nsp, String room, String socketId) {
        nsp.server().observers().roomJoined(nsp, room, socketId);
    }

    @Override
    public void roomLeft(Namespace nsp, String room, String socketId) {
        nsp.server().observers().roomLeft(nsp, room, socketId);
    }
}
