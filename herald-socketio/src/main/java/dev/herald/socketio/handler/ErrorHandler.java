package dev.herald.socketio.handler;

import dev.herald.socketio.Socket;

/** Receives what a handler or middleware threw. Runs on the thread that ran the handler. */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * Handles the failure.
     *
     * @param event the event name, or {@code "connection"}/{@code "disconnect"} for those handlers
     */
    void handle(Socket socket, String event, Throwable error);
}
