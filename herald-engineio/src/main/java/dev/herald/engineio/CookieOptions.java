package dev.herald.engineio;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The sticky-session cookie: Node's {@code cookie} option. When set, the answer to a polling
 * handshake carries {@code Set-Cookie: io=<sid>; Path=/; HttpOnly; SameSite=Lax} (with these
 * defaults, which are Node's), so a load balancer can route the session's later requests on it.
 * A WebSocket opened without polling gets no cookie, as in Node: it needs no routing.
 *
 * <pre>{@code
 * EngineIoOptions.builder().cookie(CookieOptions.builder().name("srv").maxAge(Duration.ofHours(1)).build())
 * }</pre>
 */
public final class CookieOptions {

    /** The {@code SameSite} attribute. */
    public enum SameSite {
        /** {@code SameSite=Strict}. */
        STRICT("Strict"),
        /** {@code SameSite=Lax}, the default. */
        LAX("Lax"),
        /** {@code SameSite=None}; needs {@link Builder#secure(boolean) secure}. */
        NONE("None");

        private final String wire;

        SameSite(String wire) {
            this.wire = wire;
        }
    }

    private final String name;
    private final String path;
    private final Optional<String> domain;
    private final boolean httpOnly;
    private final boolean secure;
    private final Optional<SameSite> sameSite;
    private final Optional<Duration> maxAge;

    private CookieOptions(Builder b) {
        this.name = b.name;
        this.path = b.path;
        this.domain = b.domain;
        this.httpOnly = b.httpOnly;
        this.secure = b.secure;
        this.sameSite = b.sameSite;
        this.maxAge = b.maxAge;
    }

    /** Node's defaults: {@code io}, path {@code /}, HttpOnly, SameSite=Lax, a session cookie. */
    public static CookieOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The cookie name. Default {@code io}. */
    public String name() {
        return name;
    }

    /** The {@code Path} attribute. Default {@code /}. */
    public String path() {
        return path;
    }

    /** The {@code Domain} attribute, if any. Default none. */
    public Optional<String> domain() {
        return domain;
    }

    /** Whether the cookie is {@code HttpOnly}. Default true. */
    public boolean httpOnly() {
        return httpOnly;
    }

    /** Whether the cookie is {@code Secure}. Default false. */
    public boolean secure() {
        return secure;
    }

    /** The {@code SameSite} attribute, if any. Default {@link SameSite#LAX}. */
    public Optional<SameSite> sameSite() {
        return sameSite;
    }

    /** The {@code Max-Age}, in whole seconds on the wire; none (a session cookie) by default. */
    public Optional<Duration> maxAge() {
        return maxAge;
    }

    /** The {@code Set-Cookie} value for this session id, attributes in the order Node writes them. */
    public String headerValue(String sid) {
        StringBuilder b = new StringBuilder(name).append('=').append(sid);
        maxAge.ifPresent(d -> b.append("; Max-Age=").append(d.toSeconds()));
        domain.ifPresent(d -> b.append("; Domain=").append(d));
        b.append("; Path=").append(path);
        if (httpOnly) {
            b.append("; HttpOnly");
        }
        if (secure) {
            b.append("; Secure");
        }
        sameSite.ifPresent(s -> b.append("; SameSite=").append(s.wire));
        return b.toString();
    }

    @Override
    public String toString() {
        return "CookieOptions[" + headerValue("<sid>") + "]";
    }

    /** Builds {@link CookieOptions}; {@link #build()} validates every value. */
    public static final class Builder {
        private String name = "io";
        private String path = "/";
        private Optional<String> domain = Optional.empty();
        private boolean httpOnly = true;
        private boolean secure;
        private Optional<SameSite> sameSite = Optional.of(SameSite.LAX);
        private Optional<Duration> maxAge = Optional.empty();

        private Builder() {}

        /** See {@link CookieOptions#name()}. */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "cookie.name");
            return this;
        }

        /** See {@link CookieOptions#path()}. */
        public Builder path(String value) {
            this.path = Objects.requireNonNull(value, "cookie.path");
            return this;
        }

        /** See {@link CookieOptions#domain()}. */
        public Builder domain(String value) {
            this.domain = Optional.of(Objects.requireNonNull(value, "cookie.domain"));
            return this;
        }

        /** See {@link CookieOptions#httpOnly()}. */
        public Builder httpOnly(boolean value) {
            this.httpOnly = value;
            return this;
        }

        /** See {@link CookieOptions#secure()}. */
        public Builder secure(boolean value) {
            this.secure = value;
            return this;
        }

        /** See {@link CookieOptions#sameSite()}. */
        public Builder sameSite(SameSite value) {
            this.sameSite = Optional.of(Objects.requireNonNull(value, "cookie.sameSite"));
            return this;
        }

        /** Sends no {@code SameSite} attribute. */
        public Builder noSameSite() {
            this.sameSite = Optional.empty();
            return this;
        }

        /** See {@link CookieOptions#maxAge()}. */
        public Builder maxAge(Duration value) {
            this.maxAge = Optional.of(Objects.requireNonNull(value, "cookie.maxAge"));
            return this;
        }

        /** Validates and builds; the message names the offending option. */
        public CookieOptions build() {
            if (name.isEmpty() || !isToken(name)) {
                throw new IllegalArgumentException("cookie.name must be a non-empty HTTP token, was '" + name + "'");
            }
            if (!path.startsWith("/") || !isAttribute(path)) {
                throw new IllegalArgumentException(
                        "cookie.path must start with / and hold no ';' or control character, was '" + path + "'");
            }
            if (domain.isPresent() && (domain.get().isEmpty() || !isAttribute(domain.get()))) {
                throw new IllegalArgumentException("cookie.domain must be a host name, was '" + domain.get() + "'");
            }
            if (maxAge.isPresent() && maxAge.get().isNegative()) {
                throw new IllegalArgumentException("cookie.maxAge must not be negative, was " + maxAge.get());
            }
            if (sameSite.equals(Optional.of(SameSite.NONE)) && !secure) {
                throw new IllegalArgumentException(
                        "cookie.sameSite NONE needs cookie.secure(true): browsers drop a SameSite=None cookie that is not Secure");
            }
            return new CookieOptions(this);
        }

        private static boolean isToken(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isAttribute(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < ' ' || c >= 127 || c == ';') {
                    return false;
                }
            }
            return true;
        }
    }
}
