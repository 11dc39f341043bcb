package dev.herald.socketio.parser;

import dev.herald.socketio.SocketIoException;

/**
 * A client sent something that its {@link Parser} cannot decode into a valid packet. The
 * connection that sent it is closed; nothing else is affected. The message names the defect,
 * never the payload.
 */
public class MalformedPacketException extends SocketIoException {

    /** With a message naming the defect. */
    public MalformedPacketException(String message) {
        super(message);
    }

    /** No stack trace: bad input from the internet is routine, and the trace would say nothing. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
