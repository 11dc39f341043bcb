package dev.herald.engineio.transport;

import dev.herald.engineio.HandshakeRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request for the Engine.IO path (a poll, a POST of packets, or a handshake), as the
 * transport hands it to {@link dev.herald.engineio.EngineIoServer#handleRequest}.
 *
 * <p>Threading: {@link #respond} may be called from any thread, exactly once; later calls are
 * ignored. The transport adds CORS and keep-alive headers.
 */
public interface EngineRequest {

    /** The HTTP method in upper case. */
    String method();

    /** The request as a whole: headers, query, address. */
    HandshakeRequest request();

    /** The body, complete (the transport has already enforced {@code maxHttpBufferSize}). */
    byte[] body();

    /** The event loop of the connection that carries this request. */
    SessionExecutor executor();

    /** Writes the response. */
    void respond(int status, String contentType, byte[] body);

    /**
     * Writes the response with extra headers (from the HTTP hooks or the sticky cookie), each name
     * with its values. A transport that serves hooks overrides this; the default refuses headers
     * it would otherwise drop.
     */
    default void respond(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
        if (!headers.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getName() + " cannot send extra response headers");
        }
        respond(status, contentType, body);
    }

    /**
     * Registers a callback run once if the connection closes before {@link #respond}; it runs on
     * {@link #executor()}. At most one callback is kept.
     */
    void onAbort(Runnable callback);

    /** A query parameter. */
    default Optional<String> query(String name) {
        return Optional.ofNullable(request().query().get(name));
    }
}
