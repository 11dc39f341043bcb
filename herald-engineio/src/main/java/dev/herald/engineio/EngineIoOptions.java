package dev.herald.engineio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable settings of an {@link EngineIoServer}; defaults equal the JS reference.
 *
 * <pre>{@code
 * EngineIoOptions options = EngineIoOptions.builder()
 *         .pingInterval(Duration.ofSeconds(10))
 *         .transports(Transport.WEBSOCKET)
 *         .build();
 * }</pre>
 */
public final class EngineIoOptions {

    /** The Engine.IO transports. */
    public enum Transport {
        /** HTTP long-polling. */
        POLLING("polling"),
        /** WebSocket. */
        WEBSOCKET("websocket");

        private final String wire;

        Transport(String wire) {
            this.wire = wire;
        }

        /** The name used in the {@code transport} query parameter. */
        public String wire() {
            return wire;
        }
    }

    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration upgradeTimeout;
    private final int maxHttpBufferSize;
    private final Set<Transport> transports;
    private final boolean allowEio3;
    private final int writeBufferHighWaterMark;
    private final int writeBufferLowWaterMark;
    private final Duration slowConsumerTimeout;
    private final long slowConsumerMaxBuffer;
    private final int maxSessionsPerAddress;
    private final Optional<AllowRequest> allowRequest;
    private final List<RequestHook> middlewares;
    private final List<RequestHook> headersHooks;
    private final List<RequestHook> initialHeadersHooks;
    private final List<ConnectionErrorListener> connectionErrorListeners;
    private final Optional<CookieOptions> cookie;
    private final boolean httpCompression;
    private final int httpCompressionThreshold;
    private final boolean perMessageDeflate;
    private final int perMessageDeflateThreshold;

    private EngineIoOptions(Builder b) {
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.upgradeTimeout = b.upgradeTimeout;
        this.maxHttpBufferSize = b.maxHttpBufferSize;
        this.transports = Set.copyOf(b.transports);
        this.allowEio3 = b.allowEio3;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        this.slowConsumerTimeout = b.slowConsumerTimeout;
        this.slowConsumerMaxBuffer = b.slowConsumerMaxBuffer;
        this.maxSessionsPerAddress = b.maxSessionsPerAddress;
        this.allowRequest = b.allowRequest;
        this.middlewares = List.copyOf(b.middlewares);
        this.headersHooks = List.copyOf(b.headersHooks);
        this.initialHeadersHooks = List.copyOf(b.initialHeadersHooks);
        this.connectionErrorListeners = List.copyOf(b.connectionErrorListeners);
        this.cookie = b.cookie;
        this.httpCompression = b.httpCompression;
        this.httpCompressionThreshold = b.httpCompressionThreshold;
        this.perMessageDeflate = b.perMessageDeflate;
        this.perMessageDeflateThreshold = b.perMessageDeflateThreshold;
    }

    /** The defaults: 25 s / 20 s / 10 s, 1 MB, polling and websocket, EIO4 only. */
    public static EngineIoOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** How often the server pings (EIO4). Default 25 s. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long the server waits for a pong before closing with {@code ping timeout}. Default 20 s. */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** How long a started upgrade may take before the probe transport is dropped. Default 10 s. */
    public Duration upgradeTimeout() {
        return upgradeTimeout;
    }

    /**
     * The largest polling body or WebSocket message accepted, in bytes; also announced to clients
     * as {@code maxPayload}. Default 1 000 000.
     */
    public int maxHttpBufferSize() {
        return maxHttpBufferSize;
    }

    /** The enabled transports. Default both. */
    public Set<Transport> transports() {
        return transports;
    }

    /** Whether the transport with this wire name is enabled. */
    public boolean allows(String transportName) {
        for (Transport t : transports) {
            if (t.wire.equals(transportName)) {
                return true;
            }
        }
        return false;
    }

    /** Whether clients that ask for {@code EIO=3} are accepted. Default false. */
    public boolean allowEio3() {
        return allowEio3;
    }

    /**
     * Bytes waiting to be written to one session (its transport's outbound buffer, or its polling
     * queue) above which the session counts as a slow consumer: volatile messages to it are
     * dropped, and if it stays above for {@link #slowConsumerTimeout()} it is closed with
     * {@code slow consumer}. Default 1 MiB (the JS reference has no such limit).
     */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** Once over the high-water mark, the session is fine again below this. Default 512 KiB. */
    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /**
     * How long a session may stay over {@link #writeBufferHighWaterMark()} before it is closed with
     * {@code slow consumer}. Default 10 s.
     */
    public Duration slowConsumerTimeout() {
        return slowConsumerTimeout;
    }

    /**
     * Bytes waiting for one session above which it is closed at once with {@code slow consumer},
     * without waiting for {@link #slowConsumerTimeout()}: the hard bound on what one client can
     * make the server hold. Default 16 MiB.
     */
    public long slowConsumerMaxBuffer() {
        return slowConsumerMaxBuffer;
    }

    /**
     * How many sessions one remote IP address may hold open at once; a handshake past it is
     * answered 403 {@code Forbidden} (over WebSocket: the upgrade is refused). 0, the default,
     * means no limit (the JS reference has none). Behind a proxy every client shares the proxy's
     * address, so leave it off there.
     */
    public int maxSessionsPerAddress() {
        return maxSessionsPerAddress;
    }

    /** The check every handshake passes before a session exists (Node's {@code allowRequest}); none by default. */
    public Optional<AllowRequest> allowRequest() {
        return allowRequest;
    }

    /** The middlewares run on every request of the Engine.IO path, in order (Node's {@code engine.use}). */
    public List<RequestHook> middlewares() {
        return middlewares;
    }

    /** Hooks that add headers to every answer (Node's {@code headers} event). */
    public List<RequestHook> headersHooks() {
        return headersHooks;
    }

    /** Hooks that add headers to handshake answers only (Node's {@code initial_headers} event). */
    public List<RequestHook> initialHeadersHooks() {
        return initialHeadersHooks;
    }

    /** Listeners told of each refused request (Node's {@code connection_error} event). */
    public List<ConnectionErrorListener> connectionErrorListeners() {
        return connectionErrorListeners;
    }

    /** The sticky-session cookie set on polling handshakes (Node's {@code cookie}); off by default. */
    public Optional<CookieOptions> cookie() {
        return cookie;
    }

    /**
     * Whether polling answers are compressed (gzip or deflate, whichever the request's
     * {@code Accept-Encoding} prefers) when they reach {@link #httpCompressionThreshold()} and hold
     * at least one message that may be compressed. Default true, as Node's {@code httpCompression}.
     */
    public boolean httpCompression() {
        return httpCompression;
    }

    /** The smallest polling answer, in bytes before compression, that is compressed. Default 1024. */
    public int httpCompressionThreshold() {
        return httpCompressionThreshold;
    }

    /**
     * Whether the WebSocket transport accepts a client's {@code permessage-deflate} offer. Default
     * false, as Node's {@code perMessageDeflate}: a connection that has sent one compressed message
     * keeps a deflate context (about 300 KiB of native memory, see docs/operations.md) until it closes.
     */
    public boolean perMessageDeflate() {
        return perMessageDeflate;
    }

    /** The smallest WebSocket message, in bytes, that is compressed once deflate is negotiated. Default 1024. */
    public int perMessageDeflateThreshold() {
        return perMessageDeflateThreshold;
    }

    /** A builder initialised with these options. */
    public Builder toBuilder() {
        return new Builder()
                .pingInterval(pingInterval)
                .pingTimeout(pingTimeout)
                .upgradeTimeout(upgradeTimeout)
                .maxHttpBufferSize(maxHttpBufferSize)
                .transports(transports.toArray(Transport[]::new))
                .allowEio3(allowEio3)
                .writeBufferWaterMark(writeBufferLowWaterMark, writeBufferHighWaterMark)
                .slowConsumerTimeout(slowConsumerTimeout)
                .slowConsumerMaxBuffer(slowConsumerMaxBuffer)
                .maxSessionsPerAddress(maxSessionsPerAddress)
                .httpCompression(httpCompression)
                .httpCompressionThreshold(httpCompressionThreshold)
                .perMessageDeflate(perMessageDeflate)
                .perMessageDeflateThreshold(perMessageDeflateThreshold)
                .copyHooks(this);
    }

    @Override
    public String toString() {
        return "EngineIoOptions[pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout
                + ", upgradeTimeout=" + upgradeTimeout + ", maxHttpBufferSize=" + maxHttpBufferSize
                + ", transports=" + transports + ", allowEio3=" + allowEio3 + ", writeBufferWaterMark="
                + writeBufferLowWaterMark + "/"
                + writeBufferHighWaterMark + ", slowConsumerTimeout=" + slowConsumerTimeout
                + ", slowConsumerMaxBuffer=" + slowConsumerMaxBuffer
                + ", maxSessionsPerAddress=" + maxSessionsPerAddress + ", allowRequest=" + allowRequest.isPresent()
                + ", middlewares=" + middlewares.size() + ", headersHooks=" + headersHooks.size() + "/"
                + initialHeadersHooks.size()
                + ", connectionErrorListeners=" + connectionErrorListeners.size() + ", cookie=" + cookie
                + ", httpCompression=" + (httpCompression ? httpCompressionThreshold : "off")
                + ", perMessageDeflate=" + (perMessageDeflate ? perMessageDeflateThreshold : "off") + "]";
    }

    /** Builds {@link EngineIoOptions}; {@link #build()} validates every value. */
    public static final class Builder {
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private int maxHttpBufferSize = 1_000_000;
        private Set<Transport> transports = new LinkedHashSet<>(List.of(Transport.POLLING, Transport.WEBSOCKET));
        private boolean allowEio3;
        private int writeBufferHighWaterMark = 1 << 20;
        private int writeBufferLowWaterMark = 1 << 19;
        private Duration slowConsumerTimeout = Duration.ofSeconds(10);
        private long slowConsumerMaxBuffer = 16L << 20;
        private int maxSessionsPerAddress;
        private Optional<AllowRequest> allowRequest = Optional.empty();
        private final List<RequestHook> middlewares = new ArrayList<>();
        private final List<RequestHook> headersHooks = new ArrayList<>();
        private final List<RequestHook> initialHeadersHooks = new ArrayList<>();
        private final List<ConnectionErrorListener> connectionErrorListeners = new ArrayList<>();
        private Optional<CookieOptions> cookie = Optional.empty();
        private boolean httpCompression = true;
        private int httpCompressionThreshold = 1024;
        private boolean perMessageDeflate;
        private int perMessageDeflateThreshold = 1024;

        private Builder() {}

        private Builder copyHooks(EngineIoOptions o) {
            allowRequest = o.allowRequest;
            middlewares.addAll(o.middlewares);
            headersHooks.addAll(o.headersHooks);
            initialHeadersHooks.addAll(o.initialHeadersHooks);
            connectionErrorListeners.addAll(o.connectionErrorListeners);
            cookie = o.cookie;
            return this;
        }

        /**
         * Checks every handshake (polling or WebSocket, a request without {@code sid}) before a
         * session exists; see {@link AllowRequest}. Replaces any earlier one.
         */
        public Builder allowRequest(AllowRequest value) {
            this.allowRequest = Optional.of(Objects.requireNonNull(value, "allowRequest"));
            return this;
        }

        /**
         * Adds a middleware run on every request of the Engine.IO path (polls, POSTs, handshakes
         * and WebSocket upgrades), in the order added, before the request is checked; see
         * {@link RequestHook}. Headers it adds go on the answer, even an error answer.
         */
        public Builder use(RequestHook middleware) {
            middlewares.add(Objects.requireNonNull(middleware, "middleware"));
            return this;
        }

        /** Adds a hook that adds headers to every successful answer, the WebSocket upgrade's included. */
        public Builder onHeaders(RequestHook hook) {
            headersHooks.add(Objects.requireNonNull(hook, "headers hook"));
            return this;
        }

        /** Adds a hook that adds headers to the answers of handshakes (polling, or the WebSocket upgrade without sid). */
        public Builder onInitialHeaders(RequestHook hook) {
            initialHeadersHooks.add(Objects.requireNonNull(hook, "initial headers hook"));
            return this;
        }

        /** Adds a listener told of every request refused before reaching a session. */
        public Builder onConnectionError(ConnectionErrorListener listener) {
            connectionErrorListeners.add(Objects.requireNonNull(listener, "connection error listener"));
            return this;
        }

        /** Sets the sticky-session cookie on polling handshakes; see {@link CookieOptions}. */
        public Builder cookie(CookieOptions value) {
            this.cookie = Optional.of(Objects.requireNonNull(value, "cookie"));
            return this;
        }

        /** Sends no sticky-session cookie (the default). */
        public Builder noCookie() {
            this.cookie = Optional.empty();
            return this;
        }

        /** See {@link EngineIoOptions#pingInterval()}. */
        public Builder pingInterval(Duration value) {
            this.pingInterval = Objects.requireNonNull(value, "pingInterval");
            return this;
        }

        /** See {@link EngineIoOptions#pingTimeout()}. */
        public Builder pingTimeout(Duration value) {
            this.pingTimeout = Objects.requireNonNull(value, "pingTimeout");
            return this;
        }

        /** See {@link EngineIoOptions#upgradeTimeout()}. */
        public Builder upgradeTimeout(Duration value) {
            this.upgradeTimeout = Objects.requireNonNull(value, "upgradeTimeout");
            return this;
        }

        /** See {@link EngineIoOptions#maxHttpBufferSize()}. */
        public Builder maxHttpBufferSize(int value) {
            this.maxHttpBufferSize = value;
            return this;
        }

        /** See {@link EngineIoOptions#transports()}; at least one. */
        public Builder transports(Transport... values) {
            Objects.requireNonNull(values, "transports");
            Set<Transport> set = new LinkedHashSet<>();
            for (Transport t : values) {
                set.add(Objects.requireNonNull(t, "transports element"));
            }
            this.transports = set;
            return this;
        }

        /** See {@link EngineIoOptions#allowEio3()}. */
        public Builder allowEio3(boolean value) {
            this.allowEio3 = value;
            return this;
        }

        /**
         * See {@link EngineIoOptions#writeBufferLowWaterMark()} and
         * {@link EngineIoOptions#writeBufferHighWaterMark()}.
         */
        public Builder writeBufferWaterMark(int low, int high) {
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        /** See {@link EngineIoOptions#slowConsumerTimeout()}. */
        public Builder slowConsumerTimeout(Duration value) {
            this.slowConsumerTimeout = Objects.requireNonNull(value, "slowConsumerTimeout");
            return this;
        }

        /** See {@link EngineIoOptions#slowConsumerMaxBuffer()}. */
        public Builder slowConsumerMaxBuffer(long value) {
            this.slowConsumerMaxBuffer = value;
            return this;
        }

        /** See {@link EngineIoOptions#maxSessionsPerAddress()}; 0 turns the limit off. */
        public Builder maxSessionsPerAddress(int value) {
            this.maxSessionsPerAddress = value;
            return this;
        }

        /** See {@link EngineIoOptions#httpCompression()}. */
        public Builder httpCompression(boolean value) {
            this.httpCompression = value;
            return this;
        }

        /** See {@link EngineIoOptions#httpCompressionThreshold()}; 0 compresses every answer. */
        public Builder httpCompressionThreshold(int bytes) {
            this.httpCompressionThreshold = bytes;
            return this;
        }

        /** See {@link EngineIoOptions#perMessageDeflate()}. */
        public Builder perMessageDeflate(boolean value) {
            this.perMessageDeflate = value;
            return this;
        }

        /** See {@link EngineIoOptions#perMessageDeflateThreshold()}; 0 compresses every message. */
        public Builder perMessageDeflateThreshold(int bytes) {
            this.perMessageDeflateThreshold = bytes;
            return this;
        }

        /** Validates and builds; the exception message names the offending option. */
        public EngineIoOptions build() {
            requirePositive(pingInterval, "pingInterval");
            requirePositive(pingTimeout, "pingTimeout");
            requirePositive(upgradeTimeout, "upgradeTimeout");
            if (pingInterval.toMillis() > Integer.MAX_VALUE || pingTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pingInterval and pingTimeout must fit in an int of milliseconds");
            }
            if (maxHttpBufferSize <= 0) {
                throw new IllegalArgumentException("maxHttpBufferSize must be positive, was " + maxHttpBufferSize);
            }
            if (writeBufferLowWaterMark <= 0 || writeBufferHighWaterMark < writeBufferLowWaterMark) {
                throw new IllegalArgumentException("writeBufferWaterMark must have 0 < low <= high, was "
                        + writeBufferLowWaterMark + "/" + writeBufferHighWaterMark);
            }
            requirePositive(slowConsumerTimeout, "slowConsumerTimeout");
            if (slowConsumerMaxBuffer < writeBufferHighWaterMark) {
                throw new IllegalArgumentException(
                        "slowConsumerMaxBuffer must be at least writeBufferHighWaterMark, was "
                                + slowConsumerMaxBuffer);
            }
            if (maxSessionsPerAddress < 0) {
                throw new IllegalArgumentException(
                        "maxSessionsPerAddress must be >= 0 (0 = no limit), was " + maxSessionsPerAddress);
            }
            if (httpCompressionThreshold < 0) {
                throw new IllegalArgumentException(
                        "httpCompressionThreshold must be >= 0, was " + httpCompressionThreshold);
            }
            if (perMessageDeflateThreshold < 0) {
                throw new IllegalArgumentException(
                        "perMessageDeflateThreshold must be >= 0, was " + perMessageDeflateThreshold);
            }
            if (transports.isEmpty()) {
                throw new IllegalArgumentException("transports must contain at least one transport");
            }
            return new EngineIoOptions(this);
        }

        private static void requirePositive(Duration d, String name) {
            if (d.isZero() || d.isNegative() || d.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
            }
        }
    }
}
