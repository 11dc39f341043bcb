package dev.herald.engineio.transport;

import dev.herald.engineio.HandshakeRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link EngineRequest} made by a test, in process: it records the one response and lets the
 * test drop the connection ({@link #abort()}), as a transport would report it.
 *
 * <p>Threading: {@link #respond} from any thread; the rest from the test thread.
 */
public final class FakeEngineRequest implements EngineRequest {

    private final String method;
    private final HandshakeRequest request;
    private final byte[] body;
    private final SessionExecutor executor;
    // Written by whoever answers, read by the test thread.
    private volatile Response response;
    private volatile Runnable onAbort;

    /** What the request was answered: status, content type, body and extra headers. */
    public record Response(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private FakeEngineRequest(
            String method,
            Map<String, String> query,
            Map<String, List<String>> headers,
            byte[] body,
            SessionExecutor executor) {
        this.method = method;
        StringBuilder url = new StringBuilder("/engine.io/");
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            url.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = '&';
        }
        this.request = new HandshakeRequest(
                headers, query, url.toString(), new InetSocketAddress("127.0.0.1", 40000), false, Instant.EPOCH);
        this.body = body;
        this.executor = executor;
    }

    /** A GET with this query (such as {@code EIO=4&transport=polling&sid=…}). */
    public static FakeEngineRequest get(SessionExecutor executor, String query) {
        return new FakeEngineRequest("GET", parse(query), Map.of(), new byte[0], executor);
    }

    /** A POST with this query and this UTF-8 body. */
    public static FakeEngineRequest post(SessionExecutor executor, String query, String body) {
        return post(executor, query, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A POST with this query, body and headers (names in lower case). */
    public static FakeEngineRequest post(
            SessionExecutor executor, String query, byte[] body, Map<String, List<String>> headers) {
        return new FakeEngineRequest("POST", parse(query), headers, body, executor);
    }

    /** Parses {@code a=1&b=2} into an ordered map; no decoding (tests write plain values). */
    public static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return out;
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
    public void respond(int status, String contentType, byte[] body) {
        respond(status, contentType, body, Map.of());
    }

    @Override
    public synchronized void respond(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
        if (response == null) {
            response = new Response(status, contentType, body.clone(), Map.copyOf(headers));
        }
    }

    @Override
    public void onAbort(Runnable callback) {
        this.onAbort = Objects.requireNonNull(callback, "callback");
    }

    /** The connection drops before an answer: the abort callback runs on the executor, as a transport runs it. */
    public void abort() {
        Runnable callback = onAbort;
        if (response == null && callback != null) {
            executor.execute(callback);
        }
    }

    /** The response, if the request has been answered. */
    public Optional<Response> response() {
        return Optional.ofNullable(response);
    }

    /** Whether the request has been answered. */
    public boolean isAnswered() {
        return response != null;
    }

    /** The response; fails if the request is still waiting. */
    public Response answer() {
        Response r = response;
        if (r == null) {
            throw new AssertionError(method + " " + request.url() + " is not answered");
        }
        return r;
    }
}
