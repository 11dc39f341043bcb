package dev.herald.engineio;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP request that opened an Engine.IO session, captured once and immutable afterwards.
 *
 * @param headers header names in lower case; each maps to every value sent
 * @param query   the decoded query parameters, first value of each
 * @param url     the request path and query as received
 * @param remoteAddress the peer address
 * @param secure  whether the connection uses TLS
 * @param time    when the handshake was received
 */
public record HandshakeRequest(
        Map<String, List<String>> headers,
        Map<String, String> query,
        String url,
        InetSocketAddress remoteAddress,
        boolean secure,
        Instant time) {

    public HandshakeRequest {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
    }

    /** The first value of a header, if present; the name is case-insensitive. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
