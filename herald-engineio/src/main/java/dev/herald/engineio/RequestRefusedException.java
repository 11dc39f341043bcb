package dev.herald.engineio;

import java.util.Objects;

/**
 * Thrown by an {@link AllowRequest} to refuse a handshake with this message in the 403 body
 * ({@code {"code":4,"message":"..."}}), which the client sees. Keep secrets out of it.
 */
public class RequestRefusedException extends RuntimeException {

    public RequestRefusedException(String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
    }
}
