package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.internal.Conversion;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a socket's client sent when it connected, as socket.io's {@code socket.handshake}.
 *
 * @param headers request headers, names in lower case, every value
 * @param query   query parameters of the Engine.IO handshake, first value of each
 * @param auth    the auth payload of the namespace CONNECT packet ({@code {}} when none)
 * @param address the client's IP address as text
 * @param time    when the connection was opened
 * @param url     the request path and query
 * @param secure  whether the connection uses TLS
 */
public record Handshake(
        Map<String, List<String>> headers,
        Map<String, String> query,
        JsonNode auth,
        String address,
        Instant time,
        String url,
        boolean secure) {

    public Handshake {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(url, "url");
    }

    /** The first value of a header; the name is case-insensitive. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A query parameter. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The auth payload converted to a type with Jackson. */
    public <T> T auth(Class<T> type) {
        return Conversion.convert(auth, type, "auth payload");
    }

    /** One auth field as text. */
    public Optional<String> auth(String field) {
        JsonNode value = auth.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
