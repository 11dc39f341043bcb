package dev.herald.servlet;

import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.SessionExecutor;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polling request handed to the engine, in async mode: no container thread waits while it is
 * parked. The answer is written with a {@link WriteListener}, so a client that does not read holds
 * no thread either; the CORS headers are computed up front, so it may be answered from any thread.
 */
final class ServletEngineRequest implements EngineRequest, AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(ServletEngineRequest.class);

    private final AsyncContext async;
    private final String method;
    private final HandshakeRequest request;
    private final byte[] body;
    private final SessionExecutor executor;
    private final List<Map.Entry<String, String>> corsHeaders;
    private final AtomicBoolean responded = new AtomicBoolean();
    // Written once by the engine (any thread), read by the container thread that reports an error.
    private volatile Runnable abortCallback;
    // Set by the container thread that saw the request end unanswered; either side may come first.
    private volatile boolean abortedUnanswered;
    private final AtomicBoolean abortRun = new AtomicBoolean();

    ServletEngineRequest(
            AsyncContext async,
            String method,
            HandshakeRequest request,
            byte[] body,
            SessionExecutor executor,
            List<Map.Entry<String, String>> corsHeaders) {
        this.async = async;
        this.method = method;
        this.request = request;
        this.body = body;
        this.executor = executor;
        this.corsHeaders = corsHeaders;
        async.addListener(this);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public void respond(int status, String contentType, byte[] content) {
        respond(status, contentType, content, Map.of());
    }

    @Override
    public void respond(int status, String contentType, byte[] content, Map<String, List<String>> headers) {
        if (!responded.compareAndSet(false, true)) {
            return;
        }
        // On a container thread, never on the session's loop: Tomcat serves the write listener
        // a non-container thread registers on that very thread, and then the next request
        // pipelined on the connection too, so the loop would run the application's servlets and
        // re-enter the engine in the middle of its own task (a handshake's answer, before the
        // session was announced, lost the CONNECT posted right behind it).
        try {
            async.start(() -> write(status, contentType, content, headers));
        } catch (IllegalStateException e) {
            // The request ended under us (the client left, the container stopped).
            log.debug("cannot answer {} {}", method, request.url(), e);
        }
    }

    private void write(int status, String contentType, byte[] content, Map<String, List<String>> headers) {
        HttpServletResponse res = (HttpServletResponse) async.getResponse();
        try {
            res.setStatus(status);
            res.setContentType(contentType);
            res.setContentLength(content.length);
            res.setHeader("Cache-Control", "no-store");
            corsHeaders.forEach(h -> res.addHeader(h.getKey(), h.getValue()));
            // A hook's header replaces one set above (such as Cache-Control); further values add to it.
            headers.forEach((name, values) -> {
                for (int i = 0; i < values.size(); i++) {
                    if (i == 0) {
                        res.setHeader(name, values.get(0));
                    } else {
                        res.addHeader(name, values.get(i));
                    }
                }
            });
            write(async, res.getOutputStream(), content);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot answer {} {}", method, request.url(), e);
            complete(async);
        }
    }

    /** Writes {@code content} without blocking, then completes the request. */
    static void write(AsyncContext async, ServletOutputStream out, byte[] content) {
        out.setWriteListener(new WriteListener() {
            // Owned by the container thread that calls onWritePossible (never two at once).
            private int written;

            @Override
            public void onWritePossible() throws IOException {
                while (out.isReady()) {
                    if (written == content.length) {
                        complete(async);
                        return;
                    }
                    int n = Math.min(content.length - written, 64 * 1024);
                    out.write(content, written, n);
                    written += n;
                }
            }

            @Override
            public void onError(Throwable t) {
                log.debug("answer not written", t);
                complete(async);
            }
        });
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // Completed already (an error raced the answer).
        }
    }

    @Override
    public void onAbort(Runnable callback) {
        abortCallback = callback;
        if (abortedUnanswered) {
            runAbortOnce();
        }
    }

    private void aborted() {
        if (responded.compareAndSet(false, true)) {
            abortedUnanswered = true;
            runAbortOnce();
            complete(async);
        }
    }

    private void runAbortOnce() {
        Runnable cb = abortCallback;
        if (cb != null && abortRun.compareAndSet(false, true)) {
            try {
                executor.execute(cb);
            } catch (RejectedExecutionException e) {
                // The transport is stopping: its sessions are closed anyway.
            }
        }
    }

    // ---- AsyncListener: container threads ----

    @Override
    public void onComplete(AsyncEvent event) {
        // A request completed before it was answered (the container gave up on it) is an abort.
        aborted();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        aborted();
    }

    @Override
    public void onError(AsyncEvent event) {
        aborted();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
}
