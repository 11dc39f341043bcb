package dev.herald.engineio;

import dev.herald.engineio.transport.EngineError;
import java.util.Map;
import java.util.Objects;

/**
 * A request on the Engine.IO path that was refused before reaching a session, as Node's
 * {@code connection_error} event reports it: the request, the code, the message sent in the body
 * and a context naming the cause ({@code name} such as {@code MIDDLEWARE_FAILURE},
 * {@code TRANSPORT_MISMATCH}, {@code INVALID_ORIGIN}, plus details such as {@code transport} or
 * {@code sid}).
 *
 * @param request what was asked
 * @param code    the reference's error code
 * @param message the message of the JSON body (the code's own, or an {@link AllowRequest}'s)
 * @param context what caused it; never a header value or a payload
 */
public record ConnectionError(HttpRequestView request, EngineError code, String message, Map<String, String> context) {

    public ConnectionError {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        context = Map.copyOf(context);
    }

    /** An error with the code's own message. */
    public static ConnectionError of(HttpRequestView request, EngineError code, Map<String, String> context) {
        return new ConnectionError(request, code, code.message(), context);
    }

    /** 403 for {@code FORBIDDEN}, 400 otherwise. */
    public int httpStatus() {
        return code.httpStatus();
    }

    /** The JSON body: {@code {"code":N,"message":"..."}}. */
    public String json() {
        return "{\"code\":" + code.code() + ",\"message\":" + quote(message) + "}";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
