package dev.herald.socketio;

import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.Message;
import dev.herald.socketio.internal.LogOnce;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The server's {@link SocketIoObserver}s and the calls into them. Each call site first asks
 * {@link #active()}: one volatile read of an empty list is all an unobserved server pays.
 *
 * <p>Threading: any thread. The list is replaced, never changed in place, so a call iterates a
 * snapshot without locking.
 */
final class Observers {

    private static final LogOnce FAILED =
            new LogOnce(LoggerFactory.getLogger(SocketIoObserver.class), TimeUnit.SECONDS.toNanos(60));

    // Replaced under `this` by add(); read lock-free by every call.
    private volatile List<SocketIoObserver> list = List.of();

    synchronized void add(SocketIoObserver observer) {
        List<SocketIoObserver> next = new ArrayList<>(list);
        next.add(observer);
        list = List.copyOf(next);
    }

    boolean active() {
        return !list.isEmpty();
    }

    void connectionOpened(Connection connection) {
        for (SocketIoObserver o : list) {
            call(connection.id(), () -> o.connectionOpened(connection));
        }
    }

    void connectionClosed(Connection connection, String reason) {
        for (SocketIoObserver o : list) {
            call(connection.id(), () -> o.connectionClosed(connection, reason));
        }
    }

    void messageReceived(Connection connection, Message message) {
        int bytes = size(message);
        for (SocketIoObserver o : list) {
            call(connection.id(), () -> o.messageReceived(connection, bytes));
        }
    }

    void messagesSent(Connection connection, List<Message> messages) {
        int bytes = 0;
        for (Message m : messages) {
            bytes += size(m);
        }
        int total = bytes;
        for (SocketIoObserver o : list) {
            call(connection.id(), () -> o.messageSent(connection, total));
        }
    }

    /** The bytes of a message as Node counts them: the data, without the Engine.IO type. */
    private static int size(Message m) {
        // The frame is encoded once per message and shared by every recipient of a broadcast.
        return m.isBinary() ? m.binary().length : m.webSocketTextFrame().length - 1;
    }

    void socketConnected(Socket socket) {
        each(socket, o -> o.socketConnected(socket));
    }

    void socketDisconnected(Socket socket, DisconnectReason reason) {
        each(socket, o -> o.socketDisconnected(socket, reason));
    }

    void socketDataChanged(Socket socket) {
        each(socket, o -> o.socketDataChanged(socket));
    }

    void pendingEventsExceeded(Socket socket) {
        each(socket, o -> o.pendingEventsExceeded(socket));
    }

    void connectionRefused(ConnectionError error) {
        for (SocketIoObserver o : list) {
            call("-", () -> o.connectionRefused(error));
        }
    }

    void roomJoined(Namespace nsp, String room, String socketId) {
        for (SocketIoObserver o : list) {
            call(socketId, () -> o.roomJoined(nsp, room, socketId));
        }
    }

    void roomLeft(Namespace nsp, String room, String socketId) {
        for (SocketIoObserver o : list) {
            call(socketId, () -> o.roomLeft(nsp, room, socketId));
        }
    }

    void eventReceived(Socket socket, String event, EventArgs args) {
        each(socket, o -> o.eventReceived(socket, event, args));
    }

    void eventHandled(Socket socket, String event, long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        each(socket, o -> o.eventHandled(socket, event, took));
    }

    void eventSent(Socket socket, String event, EventArgs args) {
        each(socket, o -> o.eventSent(socket, event, args));
    }

    void ackReceived(Socket socket, long sentNanos) {
        Duration latency = Duration.ofNanos(System.nanoTime() - sentNanos);
        each(socket, o -> o.ackReceived(socket, latency));
    }

    private void each(Socket socket, Consumer<SocketIoObserver> body) {
        for (SocketIoObserver o : list) {
            call(socket.id(), () -> body.accept(o));
        }
    }

    private static void call(String socketId, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            FAILED.warn("a SocketIoObserver threw " + e.getClass().getName() + ", ignored", socketId);
        }
    }
}
