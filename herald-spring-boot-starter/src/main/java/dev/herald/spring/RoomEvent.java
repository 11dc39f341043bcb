package dev.herald.spring;

import org.springframework.context.ApplicationEvent;

/**
 * A socket of this node has joined or left a room: listen to {@link RoomJoinedEvent} or
 * {@link RoomLeftEvent}, or to this type for both. Listeners run on a virtual thread, in the order
 * the joins and leaves happened for that socket; see {@code docs/spring.md} for how they relate to
 * the connect and disconnect events.
 */
public abstract sealed class RoomEvent extends ApplicationEvent permits RoomJoinedEvent, RoomLeftEvent {

    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final String room;
    private final String socketId;

    RoomEvent(String namespace, String room, String socketId) {
        super(socketId);
        this.namespace = namespace;
        this.room = room;
        this.socketId = socketId;
    }

    /** The namespace's name, such as {@code /chat}. */
    public String namespace() {
        return namespace;
    }

    /** The room. */
    public String room() {
        return room;
    }

    /** The id of the socket. */
    public String socketId() {
        return socketId;
    }
}
