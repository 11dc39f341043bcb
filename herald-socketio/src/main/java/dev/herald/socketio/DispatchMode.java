package dev.herald.socketio;

/** How one socket's events are handed to handlers. */
public enum DispatchMode {
    /** One after the other, in wire order (the default): a handler sees the previous one finished. */
    IN_ORDER,
    /** Each event on its own virtual thread at once: handlers of one socket may overlap. */
    CONCURRENT
}
