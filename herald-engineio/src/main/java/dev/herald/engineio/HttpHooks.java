package dev.herald.engineio;

import dev.herald.engineio.transport.EngineError;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.SessionExecutor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the HTTP hooks of {@link EngineIoOptions} for {@link EngineIoServer}: middlewares,
 * {@code allowRequest}, the headers hooks, the cookie and the {@code connection_error} listeners.
 * A hook that throws refuses its one request; nothing a hook does reaches another request.
 *
 * <p>Threading: stateless; called on the request's event loop.
 */
final class HttpHooks {

    private static final Logger log = LoggerFactory.getLogger(HttpHooks.class);

    private final EngineIoOptions options;
    private final boolean any;

    HttpHooks(EngineIoOptions options) {
        this.options = options;
        this.any = !options.middlewares().isEmpty()
                || !options.headersHooks().isEmpty()
                || !options.initialHeadersHooks().isEmpty()
                || options.cookie().isPresent();
    }

    /** Whether any hook may add headers; without, requests pass through unwrapped. */
    boolean addsHeaders() {
        return any;
    }

    /** Runs the middlewares in order; the first that throws refuses the request with 400. */
    Optional<ConnectionError> middlewares(HttpRequestView view, ResponseHeaders out) {
        for (RequestHook m : options.middlewares()) {
            try {
                m.handle(view, out);
            } catch (Exception | LinkageError e) {
                warn("a middleware", view, e);
                return Optional.of(
                        ConnectionError.of(view, EngineError.BAD_REQUEST, Map.of("name", "MIDDLEWARE_FAILURE")));
            }
        }
        return Optional.empty();
    }

    /** Runs {@code allowRequest} for a handshake; a refusal is 403 with the refusal's message. */
    Optional<ConnectionError> allowRequest(HttpRequestView view) {
        if (options.allowRequest().isEmpty()) {
            return Optional.empty();
        }
        try {
            if (options.allowRequest().get().allow(view)) {
                return Optional.empty();
            }
            log.debug("allowRequest refused {} {}", view.method(), view.remoteAddress());
            return Optional.of(ConnectionError.of(view, EngineError.FORBIDDEN, Map.of("name", "ALLOW_REQUEST")));
        } catch (RequestRefusedException e) {
            log.debug("allowRequest refused {} {}", view.method(), view.remoteAddress());
            return Optional.of(
                    new ConnectionError(view, EngineError.FORBIDDEN, e.getMessage(), Map.of("name", "ALLOW_REQUEST")));
        } catch (Exception | LinkageError e) {
            warn("allowRequest", view, e);
            return Optional.of(ConnectionError.of(view, EngineError.FORBIDDEN, Map.of("name", "ALLOW_REQUEST")));
        }
    }

    /**
     * Runs the {@code initial_headers} hooks (for a handshake) and then the {@code headers} hooks;
     * the first that throws refuses the request with 400.
     */
    Optional<ConnectionError> headers(HttpRequestView view, ResponseHeaders out) {
        List<RequestHook> initial = view.isHandshake() ? options.initialHeadersHooks() : List.of();
        for (List<RequestHook> hooks : List.of(initial, options.headersHooks())) {
            for (RequestHook h : hooks) {
                try {
                    h.handle(view, out);
                } catch (Exception | LinkageError e) {
                    warn("a headers hook", view, e);
                    return Optional.of(
                            ConnectionError.of(view, EngineError.BAD_REQUEST, Map.of("name", "HEADERS_HOOK_FAILURE")));
                }
            }
        }
        return Optional.empty();
    }

    /** Adds the sticky-session cookie for a new session, when configured. */
    void cookie(String sid, ResponseHeaders out) {
        options.cookie().ifPresent(c -> out.add("Set-Cookie", c.headerValue(sid)));
    }

    /** Tells every {@code connection_error} listener; a listener that throws is logged and skipped. */
    void report(ConnectionError error) {
        for (ConnectionErrorListener l : options.connectionErrorListeners()) {
            try {
                l.onConnectionError(error);
            } catch (Exception | LinkageError e) {
                log.warn("a connection_error listener threw {}", e.getClass().getName());
                log.debug("connection_error listener failure", e);
            }
        }
    }

    /** The request, answering with these extra headers; itself when there are none. */
    static EngineRequest withHeaders(EngineRequest req, ResponseHeaders headers) {
        return headers.isEmpty() ? req : new WithHeaders(req, headers.toMap());
    }

    // The message of a hook's exception may hold what the hook read (a token), so WARN names the
    // type only; the stack trace is at DEBUG.
    private static void warn(String what, HttpRequestView view, Throwable e) {
        log.warn(
                "{} threw {} on {} from {}; refusing that request",
                what,
                e.getClass().getName(),
                view.method(),
                view.remoteAddress());
        log.debug("hook failure", e);
    }

    private record WithHeaders(EngineRequest delegate, Map<String, List<String>> headers) implements EngineRequest {
        @Override
        public String method() {
            return delegate.method();
        }

        @Override
        public HandshakeRequest request() {
            return delegate.request();
        }

        @Override
        public byte[] body() {
            return delegate.body();
        }

        @Override
        public SessionExecutor executor() {
            return delegate.executor();
        }

        @Override
        public void respond(int status, String contentType, byte[] body) {
            delegate.respond(status, contentType, body, headers);
        }

        @Override
        public void respond(int status, String contentType, byte[] body, Map<String, List<String>> extra) {
            if (extra.isEmpty()) {
                respond(status, contentType, body);
                return;
            }
            Map<String, List<String>> all = new LinkedHashMap<>(headers);
            all.putAll(extra);
            delegate.respond(status, contentType, body, all);
        }

        @Override
        public void onAbort(Runnable callback) {
            delegate.onAbort(callback);
        }
    }
}
