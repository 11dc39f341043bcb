package dev.herald.engineio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTP hooks ({@link EngineIoOptions.Builder#allowRequest}, {@link EngineIoOptions.Builder#use},
 * the headers hooks, {@link ConnectionError}) see of one request on the Engine.IO path: a poll, a
 * POST, a handshake or a WebSocket upgrade. Immutable; the body is never part of it.
 *
 * @param method  the HTTP method in upper case ({@code GET} for a WebSocket upgrade)
 * @param request the headers, query, URL and remote address
 */
public record HttpRequestView(String method, HandshakeRequest request) {

    public HttpRequestView {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(request, "request");
    }

    /** Header names in lower case, each with every value sent. */
    public Map<String, List<String>> headers() {
        return request.headers();
    }

    /** The first value of a header; the name is case-insensitive. */
    public Optional<String> header(String name) {
        return request.header(name);
    }

    /** The decoded query parameters, first value of each. */
    public Map<String, String> query() {
        return request.query();
    }

    /** One query parameter. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(request.query().get(name));
    }

    /** The path and query as received. */
    public String url() {
        return request.url();
    }

    /** The peer address (a proxy's, behind one). */
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    /** Whether this request opens a session: it carries no {@code sid}. */
    public boolean isHandshake() {
        return !request.query().containsKey("sid");
    }
}
