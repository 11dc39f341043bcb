package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.internal.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a middleware or connect handler to refuse a namespace connection. The client gets
 * {@code 44{"message":…,"data":…}} and fires {@code connect_error} with them.
 */
public class ConnectionRefusedException extends SocketIoException {

    private final transient JsonNode data;

    /** Refuses with a message only. */
    public ConnectionRefusedException(String message) {
        super(Objects.requireNonNull(message, "message"));
        this.data = null;
    }

    /** Refuses with a message and extra data, converted to JSON with Jackson. */
    public ConnectionRefusedException(String message, Object data) {
        super(Objects.requireNonNull(message, "message"));
        this.data = Json.toTree(data);
    }

    /** The extra data sent to the client, if any. */
    public Optional<JsonNode> data() {
        return Optional.ofNullable(data);
    }
}
