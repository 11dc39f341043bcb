package dev.herald.socketio.internal;

import dev.herald.socketio.parser.MalformedPacketException;

/**
 * The client sent something that is not a valid Socket.IO v5 packet. The connection that sent it
 * is closed; nothing else is affected. The message names the defect, never the payload.
 */
public final class PacketParseException extends MalformedPacketException {

    public PacketParseException(String message) {
        super(message);
    }
}
