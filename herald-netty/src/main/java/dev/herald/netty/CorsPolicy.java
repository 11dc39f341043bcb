package dev.herald.netty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * Who may talk to the Engine.IO path: by default only pages of the same origin (the Origin header
 * names the Host the request was sent to); optionally an allowlist of exact origins
 * ({@code https://app.example.com}) or patterns with a leading wildcard label
 * ({@code https://*.example.com}, which matches any subdomain but not the bare domain), which also
 * get the CORS response headers. A request with no Origin header is not from a browser page and is
 * allowed. The same check guards the WebSocket upgrade against cross-site WebSocket hijacking.
 */
final class CorsPolicy {

    private final Set<String> allowedOrigins;
    private final List<Pattern> allowedPatterns;
    private final boolean allowCredentials;

    CorsPolicy(Set<String> allowedOrigins, boolean allowCredentials) {
        Set<String> exact = new HashSet<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String o : allowedOrigins) {
            if (o.contains("*")) {
                patterns.add(compile(o));
            } else {
                exact.add(o.toLowerCase(Locale.ROOT));
            }
        }
        this.allowedOrigins = Set.copyOf(exact);
        this.allowedPatterns = List.copyOf(patterns);
        this.allowCredentials = allowCredentials;
    }

    /**
     * Checks one allowlist entry: {@code scheme://host[:port]}, where a pattern's host starts with
     * {@code *.} and has no other wildcard.
     */
    static void validate(String origin) {
        if (origin.isBlank() || origin.endsWith("/") || !origin.contains("://")) {
            throw new IllegalArgumentException("corsAllowedOrigins entries must look like scheme://host[:port], was " + origin);
        }
        if (origin.contains("*")) {
            String host = origin.substring(origin.indexOf("://") + 3);
            if (!host.startsWith("*.") || host.indexOf('*', 1) >= 0 || host.length() < 3) {
                throw new IllegalArgumentException(
                        "corsAllowedOrigins patterns may only start the host with '*.', as https://*.example.com, was " + origin);
            }
        }
    }

    private static Pattern compile(String pattern) {
        int star = pattern.indexOf("*.");
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(star + 1);
        // One or more DNS labels in place of '*': never a '/', ':' or '@' that could smuggle another host.
        return Pattern.compile(Pattern.quote(prefix.toLowerCase(Locale.ROOT)) + "[a-z0-9-]+(\\.[a-z0-9-]+)*"
                + Pattern.quote(suffix.toLowerCase(Locale.ROOT)));
    }

    /** Whether this origin is on the allowlist (exactly or by a pattern). */
    boolean listed(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        for (Pattern p : allowedPatterns) {
            if (p.matcher(o).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request's origin may use the Engine.IO path. */
    boolean allows(HttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        return origin == null || listed(origin) || sameOrigin(origin, req.headers().get(HttpHeaderNames.HOST));
    }

    /** Adds the CORS response headers when the origin is on the allowlist. */
    void addHeaders(HttpRequest req, HttpHeaders out) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || !listed(origin)) {
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
