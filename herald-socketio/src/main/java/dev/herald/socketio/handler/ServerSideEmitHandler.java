package dev.herald.socketio.handler;

import dev.herald.socketio.EventArgs;

/**
 * Handles an event another node of the cluster sent with {@code serverSideEmit}, on a virtual
 * thread. If the sender asked for answers ({@code serverSideEmitWithAck}), {@code args.ack(value)}
 * is this node's answer (the first value, as Node's callback); a node whose handlers do not answer
 * answers {@code null} once they have run.
 */
@FunctionalInterface
public interface ServerSideEmitHandler {

    /** Handles the event; a thrown exception is logged at WARN. */
    void handle(String event, EventArgs args) throws Exception;
}
