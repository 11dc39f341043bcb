package dev.herald.engineio.transport;

import dev.herald.engineio.CorsOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may talk to the Engine.IO path, from {@link CorsOptions}: by default only pages of the same
 * origin (the Origin header names the Host the request was sent to); optionally foreign origins
 * (any, exact, {@code *.} patterns, regular expressions, a predicate), which also get the CORS
 * response headers. A request with no Origin header is not from a browser page and is allowed.
 * The same verdict guards the WebSocket upgrade against cross-site WebSocket hijacking.
 *
 * <p>Transports read the request's headers, ask for the {@link Verdict}, refuse a
 * {@link Verdict#REFUSED} request with {@link EngineError#FORBIDDEN}, and add the headers this
 * class names to their answers; it knows no HTTP server.
 *
 * <p>Threading: immutable; the predicate, if any, runs on the thread that asks for the verdict.
 */
public final class CorsPolicy {

    private static final Logger log = LoggerFactory.getLogger(CorsPolicy.class);

    /** What the policy says of one request. */
    public enum Verdict {
        /** A foreign origin not allowed: answer 403. */
        REFUSED,
        /** No Origin, or the same origin: served without CORS headers (unless any origin is allowed). */
        NO_CORS,
        /** An allowed foreign origin: served with CORS headers. */
        CORS
    }

    private final CorsOptions options;
    private final Set<String> allowedOrigins;
    private final List<Pattern> allowedPatterns;
    private final String methods;
    private final String exposed;

    /** The policy of these options. */
    public CorsPolicy(CorsOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        Set<String> exact = new HashSet<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String o : options.origins()) {
            if (o.contains("*")) {
                patterns.add(compile(o));
            } else {
                exact.add(o.toLowerCase(Locale.ROOT));
            }
        }
        this.allowedOrigins = Set.copyOf(exact);
        this.allowedPatterns = List.copyOf(patterns);
        this.methods = String.join(",", options.methods());
        this.exposed = String.join(",", options.exposedHeaders());
    }

    /**
     * Checks one allowlist entry: {@code scheme://host[:port]}, where a pattern's host starts with
     * {@code *.} and has no other wildcard; the message names {@code option}.
     */
    public static void validate(String origin, String option) {
        if (origin.isBlank() || origin.endsWith("/") || !origin.contains("://")) {
            throw new IllegalArgumentException(
                    option + " entries must look like scheme://host[:port] (or be \"*\"), was " + origin);
        }
        if (origin.contains("*")) {
            String host = origin.substring(origin.indexOf("://") + 3);
            if (!host.startsWith("*.") || host.indexOf('*', 1) >= 0 || host.length() < 3) {
                throw new IllegalArgumentException(option
                        + " patterns may only start the host with '*.', as https://*.example.com, was " + origin);
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

    /** Whether this foreign origin is allowed by a list entry, a pattern or the predicate. */
    private boolean listed(String origin) {
        if (options.anyOrigin()) {
            return true;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        for (Pattern p : allowedPatterns) {
            if (p.matcher(o).matches()) {
                return true;
            }
        }
        for (Pattern p : options.originPatterns()) {
            if (p.matcher(origin).matches()) {
                return true;
            }
        }
        if (options.originPredicate().isPresent()) {
            try {
                return options.originPredicate().get().allows(origin);
            } catch (Exception | LinkageError e) {
                // The origin is not logged at WARN: it is the client's text.
                log.warn(
                        "the CORS origin predicate threw {}; refusing that request",
                        e.getClass().getName());
                log.debug("CORS origin predicate failure", e);
            }
        }
        return false;
    }

    /**
     * The verdict on one request from its {@code Origin} and {@code Host} headers; runs the
     * predicate at most once.
     */
    public Verdict verdict(Optional<String> origin, Optional<String> host) {
        if (origin.isEmpty()) {
            return Verdict.NO_CORS;
        }
        if (listed(origin.get())) {
            return Verdict.CORS;
        }
        return sameOrigin(origin.get(), host.orElse(null)) ? Verdict.NO_CORS : Verdict.REFUSED;
    }

    /**
     * Adds the CORS headers of an answer (not a preflight), as Node's {@code cors} does, through
     * {@code add} (which appends a header line: {@code vary} may come twice). Names and tokens are
     * in lower case, as HTTP/2 requires and HTTP/1.1 allows.
     */
    public void addHeaders(Verdict verdict, Optional<String> origin, BiConsumer<String, String> add) {
        if (options.anyOrigin()) {
            add.accept("access-control-allow-origin", "*");
        } else if (verdict == Verdict.CORS) {
            add.accept("access-control-allow-origin", origin.orElseThrow());
            add.accept("vary", "origin");
        } else {
            return;
        }
        if (options.credentials()) {
            add.accept("access-control-allow-credentials", "true");
        }
        if (!exposed.isEmpty()) {
            add.accept("access-control-expose-headers", exposed);
        }
    }

    /**
     * Adds the headers that answer a preflight from an allowed origin; {@code requestHeaders} is
     * the preflight's {@code Access-Control-Request-Headers}.
     */
    public void addPreflightHeaders(
            Verdict verdict, Optional<String> origin, Optional<String> requestHeaders, BiConsumer<String, String> add) {
        addHeaders(verdict, origin, add);
        add.accept("access-control-allow-methods", methods);
        if (options.allowedHeaders().isPresent()) {
            if (!options.allowedHeaders().get().isEmpty()) {
                add.accept(
                        "access-control-allow-headers",
                        String.join(",", options.allowedHeaders().get()));
            }
        } else {
            add.accept("vary", "access-control-request-headers");
            requestHeaders.ifPresent(asked -> add.accept("access-control-allow-headers", asked));
        }
        options.maxAge().ifPresent(d -> add.accept("access-control-max-age", Long.toString(d.toSeconds())));
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
