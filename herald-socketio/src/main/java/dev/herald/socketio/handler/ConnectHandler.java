package dev.herald.socketio.handler;

import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.Socket;

/**
 * Runs when a socket has joined a namespace (it is in its rooms, {@code connected()} is true), on
 * the socket's virtual thread. The auth payload is {@code socket.handshake().auth()}.
 *
 * <p>The CONNECT reply goes out at the socket's first write (an emit, a broadcast that reaches
 * it) or when the connect handlers have returned, whichever comes first: until then a handler can
 * refuse the connection by throwing {@link ConnectionRefusedException}, and the client gets
 * {@code connect_error} with its message and data, as Flask-SocketIO's
 * {@code ConnectionRefusedError} does. Thrown after the reply went out, it disconnects the socket.
 */
@FunctionalInterface
public interface ConnectHandler {

    /**
     * Handles the new socket; a thrown exception goes to the error handler, except a
     * {@link ConnectionRefusedException}, which refuses the connection.
     */
    void handle(Socket socket) throws Exception;
}
