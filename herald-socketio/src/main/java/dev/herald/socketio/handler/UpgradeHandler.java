package dev.herald.socketio.handler;

/** Runs when a connection moves to another transport (polling to {@code websocket}), on a virtual thread. */
@FunctionalInterface
public interface UpgradeHandler {

    /** Handles the upgrade; a thrown exception is logged at WARN. */
    void handle(String transport) throws Exception;
}
