package dev.herald.socketio;

/**
 * Runs when a socket has joined a namespace, after the CONNECT reply went out, on the socket's
 * virtual thread. The auth payload is {@code socket.handshake().auth()}.
 */
@FunctionalInterface
public interface ConnectHandler {

    /** Handles the new socket; a thrown exception goes to the error handler. */
    void handle(Socket socket) throws Exception;
}
