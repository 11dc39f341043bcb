package dev.herald.spring;

import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.Socket;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * A socket has left its namespace (it is out of its rooms by now). Listeners run on the socket's
 * handler thread, a virtual thread, after the namespace's disconnect handlers.
 */
public final class SocketDisconnectedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient Socket socket;
    private final DisconnectReason reason;

    public SocketDisconnectedEvent(Socket socket, DisconnectReason reason) {
        super(socket);
        this.socket = socket;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The socket that left. */
    public Socket socket() {
        return socket;
    }

    /** Its namespace's name, such as {@code /chat}. */
    public String namespace() {
        return socket.namespace().name();
    }

    /** Why, with the reference's reason string in {@link DisconnectReason#wire()}. */
    public DisconnectReason reason() {
        return reason;
    }
}
