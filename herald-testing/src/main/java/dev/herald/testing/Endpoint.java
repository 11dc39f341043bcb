package dev.herald.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The Engine.IO endpoint an {@link EngineIoTestClient} talks to: its URI, the headers and query
 * parameters of every request, and the one JDK HTTP client both transport legs use.
 *
 * <p>Threading: immutable; the HTTP client is thread-safe.
 */
final class Endpoint {

    final URI uri;
    final Map<String, String> headers;
    final Map<String, String> extraQuery;
    final HttpClient http;

    Endpoint(URI uri, Map<String, String> headers, Map<String, String> extraQuery, SSLContext sslContext) {
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.extraQuery = Map.copyOf(extraQuery);
        HttpClient.Builder hb =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (sslContext != null) {
            hb.sslContext(sslContext);
        }
        this.http = hb.build();
    }

    /** {@code ?EIO=4&transport=…}, with the sid if there is one and the extra parameters. */
    String query(String transportName, String withSid) {
        StringBuilder q = new StringBuilder("?EIO=4&transport=").append(transportName);
        if (withSid != null) {
            q.append("&sid=").append(withSid);
        }
        extraQuery.forEach((k, v) -> q.append('&').append(k).append('=').append(v));
        return q.toString();
    }

    HttpRequest.Builder request(String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri + query)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        return b;
    }

    HttpResponse<String> get(String query, Duration timeout) {
        try {
            return http.send(request(query).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    static <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what);
        } catch (ExecutionException e) {
            throw new AssertionError("failed waiting for " + what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
