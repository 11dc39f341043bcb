package dev.herald.socketio.handler;

import com.fasterxml.jackson.databind.JsonNode;

/** Decides whether a client may create a dynamic namespace of that name (with that auth). */
@FunctionalInterface
public interface NamespaceMatcher {

    /** Whether {@code name} belongs to this parent namespace. Called on an event loop: be quick. */
    boolean matches(String name, JsonNode auth);
}
