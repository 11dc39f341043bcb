package dev.herald.engineio;

/**
 * A hook on the HTTP requests of the Engine.IO path: a middleware ({@link EngineIoOptions.Builder#use},
 * Node's {@code engine.use}) or a headers hook ({@link EngineIoOptions.Builder#onHeaders},
 * {@link EngineIoOptions.Builder#onInitialHeaders}, Node's {@code headers}/{@code initial_headers}
 * events). It may add headers to the answer.
 *
 * <p>Threading: runs on the connection's event loop, before the request goes further; it must not
 * block (do blocking checks in a Socket.IO middleware, which runs on a virtual thread). An
 * exception refuses this one request: a middleware's with 400 {@code Bad request} (Node's
 * {@code MIDDLEWARE_FAILURE}), a headers hook's likewise; it is logged at WARN without the request.
 */
@FunctionalInterface
public interface RequestHook {

    /** Inspects the request and may add headers to its answer. */
    void handle(HttpRequestView request, ResponseHeaders headers) throws Exception;
}
