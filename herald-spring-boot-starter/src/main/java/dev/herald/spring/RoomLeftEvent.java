package dev.herald.spring;

/**
 * A socket of this node has left a room, as the reference adapter's {@code leave-room} event: every
 * room it was still in when it disconnects included.
 */
public final class RoomLeftEvent extends RoomEvent {

    private static final long serialVersionUID = 1L;

    public RoomLeftEvent(String namespace, String room, String socketId) {
        super(namespace, room, socketId);
    }
}
