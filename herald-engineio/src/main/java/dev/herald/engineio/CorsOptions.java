package dev.herald.engineio;

import dev.herald.engineio.transport.CorsPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which foreign origins may use the Engine.IO path, and the CORS headers they get, in every
 * transport (herald-netty's {@code NettyServer}, herald-servlet's {@code ServletTransport}): the options of
 * Node's {@code cors} (as socket.io's {@code cors} option passes them on), with Herald's safe
 * default. Without any origin, only same-origin pages and non-browser clients (no Origin header)
 * are served, and a foreign Origin is refused with 403 on polling and on the WebSocket upgrade
 * alike. An allowed origin passes both.
 *
 * <pre>{@code
 * CorsOptions.builder()
 *         .origins("https://app.example.com", "https://*.example.com")
 *         .originPattern(Pattern.compile("https://review-\\d+\\.example\\.net"))
 *         .origin(o -> tenants.known(o))
 *         .credentials(true)
 *         .exposedHeaders("X-Trace-Id")
 *         .maxAge(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 *
 * <p>An origin is allowed when any of its forms allows it. {@code "*"} allows every origin and is
 * answered {@code Access-Control-Allow-Origin: *}; browsers refuse credentials with it, so
 * {@code "*"} together with {@link Builder#credentials(boolean) credentials} is refused by
 * {@link Builder#build()}.
 */
public final class CorsOptions {

    /** Decides on one origin; may throw, which refuses that request (logged at WARN). */
    @FunctionalInterface
    public interface OriginPredicate {
        /** True to allow requests from this Origin header value. */
        boolean allows(String origin) throws Exception;
    }

    /** The methods Node's {@code cors} answers a preflight with by default. */
    static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE");

    private final boolean anyOrigin;
    private final Set<String> origins;
    private final List<Pattern> originPatterns;
    private final Optional<OriginPredicate> originPredicate;
    private final List<String> methods;
    private final Optional<List<String>> allowedHeaders;
    private final List<String> exposedHeaders;
    private final Optional<Duration> maxAge;
    private final boolean credentials;

    private CorsOptions(Builder b) {
        this.anyOrigin = b.anyOrigin;
        this.origins = Set.copyOf(b.origins);
        this.originPatterns = List.copyOf(b.originPatterns);
        this.originPredicate = b.originPredicate;
        this.methods = List.copyOf(b.methods);
        this.allowedHeaders = b.allowedHeaders.map(List::copyOf);
        this.exposedHeaders = List.copyOf(b.exposedHeaders);
        this.maxAge = b.maxAge;
        this.credentials = b.credentials;
    }

    /** Same-origin only: Herald's default. */
    public static CorsOptions sameOriginOnly() {
        return builder().build();
    }

    /** A builder allowing no foreign origin yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether every origin is allowed ({@code "*"}). */
    public boolean anyOrigin() {
        return anyOrigin;
    }

    /** Exact origins and {@code scheme://*.domain} patterns. */
    public Set<String> origins() {
        return origins;
    }

    /** Regular expressions an origin must match in full. */
    public List<Pattern> originPatterns() {
        return originPatterns;
    }

    /** The predicate, if any. */
    public Optional<OriginPredicate> originPredicate() {
        return originPredicate;
    }

    /** {@code Access-Control-Allow-Methods} of a preflight. Default Node's: GET, HEAD, PUT, PATCH, POST, DELETE. */
    public List<String> methods() {
        return methods;
    }

    /** {@code Access-Control-Allow-Headers} of a preflight; by default the preflight's own request headers are echoed. */
    public Optional<List<String>> allowedHeaders() {
        return allowedHeaders;
    }

    /** {@code Access-Control-Expose-Headers}; none by default. */
    public List<String> exposedHeaders() {
        return exposedHeaders;
    }

    /** {@code Access-Control-Max-Age} of a preflight, in seconds on the wire; none by default. */
    public Optional<Duration> maxAge() {
        return maxAge;
    }

    /** Whether {@code Access-Control-Allow-Credentials: true} is sent. Default false. */
    public boolean credentials() {
        return credentials;
    }

    /** Builds {@link CorsOptions}; {@link #build()} validates every value. */
    public static final class Builder {
        private boolean anyOrigin;
        private final Set<String> origins = new LinkedHashSet<>();
        private final List<Pattern> originPatterns = new ArrayList<>();
        private Optional<OriginPredicate> originPredicate = Optional.empty();
        private List<String> methods = DEFAULT_METHODS;
        private Optional<List<String>> allowedHeaders = Optional.empty();
        private List<String> exposedHeaders = List.of();
        private Optional<Duration> maxAge = Optional.empty();
        private boolean credentials;

        private Builder() {}

        /**
         * Allows these origins: {@code "*"} for any, exact origins ({@code https://app.example.com}),
         * or patterns with a leading wildcard label ({@code https://*.example.com}: any subdomain,
         * not the bare domain). Adds to earlier calls.
         */
        public Builder origins(String... values) {
            for (String o : Objects.requireNonNull(values, "cors.origins")) {
                Objects.requireNonNull(o, "cors.origins element");
                if (o.equals("*")) {
                    anyOrigin = true;
                } else {
                    origins.add(o);
                }
            }
            return this;
        }

        /** Allows every origin matching this regular expression in full (not in part, as a JS RegExp test would). */
        public Builder originPattern(Pattern pattern) {
            originPatterns.add(Objects.requireNonNull(pattern, "cors.originPattern"));
            return this;
        }

        /** Allows every origin this predicate accepts; replaces an earlier predicate. */
        public Builder origin(OriginPredicate predicate) {
            this.originPredicate = Optional.of(Objects.requireNonNull(predicate, "cors.origin"));
            return this;
        }

        /** See {@link CorsOptions#methods()}. */
        public Builder methods(String... values) {
            this.methods = tokens(values, "cors.methods");
            return this;
        }

        /** See {@link CorsOptions#allowedHeaders()}. */
        public Builder allowedHeaders(String... values) {
            this.allowedHeaders = Optional.of(tokens(values, "cors.allowedHeaders"));
            return this;
        }

        /** See {@link CorsOptions#exposedHeaders()}. */
        public Builder exposedHeaders(String... values) {
            this.exposedHeaders = tokens(values, "cors.exposedHeaders");
            return this;
        }

        /** See {@link CorsOptions#maxAge()}. */
        public Builder maxAge(Duration value) {
            this.maxAge = Optional.of(Objects.requireNonNull(value, "cors.maxAge"));
            return this;
        }

        /** See {@link CorsOptions#credentials()}. */
        public Builder credentials(boolean value) {
            this.credentials = value;
            return this;
        }

        /** Validates and builds; the message names the offending option. */
        public CorsOptions build() {
            if (anyOrigin && credentials) {
                throw new IllegalArgumentException(
                        "cors.origins \"*\" cannot be combined with cors.credentials(true): browsers "
                                + "refuse credentialed responses with Access-Control-Allow-Origin: *; list the origins, or use "
                                + "cors.origin(predicate), which answers with the request's own origin");
            }
            for (String o : origins) {
                CorsPolicy.validate(o, "cors.origins");
            }
            if (maxAge.isPresent() && maxAge.get().isNegative()) {
                throw new IllegalArgumentException("cors.maxAge must not be negative, was " + maxAge.get());
            }
            return new CorsOptions(this);
        }

        private static List<String> tokens(String[] values, String option) {
            Objects.requireNonNull(values, option);
            List<String> out = new ArrayList<>();
            for (String v : values) {
                Objects.requireNonNull(v, option + " element");
                if (v.isBlank() || v.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == ',')) {
                    throw new IllegalArgumentException(option + " entries must be single HTTP tokens, was '" + v + "'");
                }
                out.add(v);
            }
            return out;
        }
    }
}
