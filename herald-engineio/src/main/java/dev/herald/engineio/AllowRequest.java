package dev.herald.engineio;

/**
 * Decides whether a handshake (a request without {@code sid}, by polling or WebSocket) may open a
 * session, before any session exists: Node's {@code allowRequest} option. It sees the headers,
 * query and remote address.
 *
 * <p>Returning false answers 403 {@code {"code":4,"message":"Forbidden"}}; throwing
 * {@link RequestRefusedException} answers 403 with its message instead of {@code Forbidden}, as
 * Node's {@code fn("message", false)}. Any other exception refuses the same way, with
 * {@code Forbidden}, and is logged at WARN. Over WebSocket the upgrade is refused with that answer.
 *
 * <p>Threading: runs on the connection's event loop; it must not block.
 */
@FunctionalInterface
public interface AllowRequest {

    /** True to let the handshake go on. */
    boolean allow(HttpRequestView request) throws Exception;
}
