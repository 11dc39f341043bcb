package dev.herald.socketio;

/** The base of the few exceptions Herald's Socket.IO layer throws. Unchecked. */
public class SocketIoException extends RuntimeException {

    /** With a message. */
    public SocketIoException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public SocketIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
