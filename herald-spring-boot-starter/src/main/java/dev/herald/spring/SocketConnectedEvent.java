package dev.herald.spring;

import dev.herald.socketio.Socket;
import org.springframework.context.ApplicationEvent;

/**
 * A socket has connected to a namespace (the main one, or one of a {@code @SocketNamespace} bean).
 * Listeners run on the socket's handler thread, a virtual thread, after the namespace's connect
 * handlers; they may block, and what they emit follows the CONNECT reply.
 */
public final class SocketConnectedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient Socket socket;

    public SocketConnectedEvent(Socket socket) {
        super(socket);
        this.socket = socket;
    }

    /** The socket that connected. */
    public Socket socket() {
        return socket;
    }

    /** Its namespace's name, such as {@code /chat}. */
    public String namespace() {
        return socket.namespace().name();
    }
}
