package dev.herald.spring;

/**
 * A socket of this node has joined a room, as the reference adapter's {@code join-room} event: its
 * own room (named after its id) when it connects included.
 */
public final class RoomJoinedEvent extends RoomEvent {

    private static final long serialVersionUID = 1L;

    public RoomJoinedEvent(String namespace, String room, String socketId) {
        super(namespace, room, socketId);
    }
}
