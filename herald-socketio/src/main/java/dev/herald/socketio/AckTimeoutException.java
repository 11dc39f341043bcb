package dev.herald.socketio;

/** An acknowledgement did not arrive within its timeout, or the socket left before it came. */
public class AckTimeoutException extends SocketIoException {

    /** With a message. */
    public AckTimeoutException(String message) {
        super(message);
    }
}
