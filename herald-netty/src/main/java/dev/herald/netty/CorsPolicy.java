package dev.herald.netty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the Engine.IO path: by default only pages of the same origin (the Origin header
 * names the Host the request was sent to); optionally an allowlist of exact origins, which also
 * get the CORS response headers. A request with no Origin header is not from a browser page and is
 * allowed. The same check guards the WebSocket upgrade against cross-site WebSocket hijacking.
 */
final class CorsPolicy {

    private final Set<String> allowedOrigins;
    private final boolean allowCredentials;

    CorsPolicy(Set<String> allowedOrigins, boolean allowCredentials) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.allowCredentials = allowCredentials;
    }

    /** Whether the request's origin may use the Engine.IO path. */
    boolean allows(HttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        return origin == null || allowedOrigins.contains(origin) || sameOrigin(origin, req.headers().get(HttpHeaderNames.HOST));
    }

    /** Adds the CORS response headers when the origin is on the allowlist. */
    void addHeaders(HttpRequest req, HttpHeaders out) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || !allowedOrigins.contains(origin)) {
            return;
        }
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        out.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (allowCredentials) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    /** Adds the headers that answer a preflight from an allowed origin. */
    void addPreflightHeaders(HttpRequest req, HttpHeaders out) {
        addHeaders(req, out);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        String asked = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI u = URI.create(origin);
            String scheme = u.getScheme();
            if (u.getHost() == null || scheme == null) {
                return false;
            }
            int port = u.getPort();
            int defaultPort = "https".equalsIgnoreCase(scheme) ? 443 : 80;
            String authority = port == -1 || port == defaultPort ? u.getHost() : u.getHost() + ":" + port;
            String h = host.toLowerCase(Locale.ROOT);
            String a = authority.toLowerCase(Locale.ROOT);
            return h.equals(a) || h.equals(a + ":" + defaultPort) && port == -1;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
