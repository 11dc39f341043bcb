package dev.herald.socketio;

import java.util.Objects;

/**
 * What the connection said when it ended, as the {@code details} Node passes with a disconnect
 * reason: the Engine.IO cause, which can be more precise than the Socket.IO reason (a
 * {@code transport error} may be a {@code message too large} or a {@code slow consumer}), and its
 * description.
 *
 * @param cause the Engine.IO close reason, as the reference spells it
 * @param description what the engine said about it; empty when nothing
 */
public record DisconnectDetails(String cause, String description) {

    public DisconnectDetails {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(description, "description");
    }
}
