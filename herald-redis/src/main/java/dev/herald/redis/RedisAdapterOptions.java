package dev.herald.redis;

import dev.herald.redis.internal.Channels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link RedisAdapter}, with the defaults of {@code @socket.io/redis-adapter}.
 * Immutable; built with {@link #builder(String)}.
 */
public final class RedisAdapterOptions {

    private final String uri;
    private final String key;
    private final Duration requestsTimeout;
    private final boolean publishOnSpecificResponseChannel;
    private final Duration reconnectMaxDelay;
    private final Optional<Path> trustedCertificates;
    private final boolean cluster;

    private RedisAdapterOptions(Builder b) {
        this.cluster = b.cluster;
        this.trustedCertificates = b.trustedCertificates;
        this.uri = b.uri;
        this.key = b.key;
        this.requestsTimeout = b.requestsTimeout;
        this.publishOnSpecificResponseChannel = b.publishOnSpecificResponseChannel;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
    }

    /**
     * A builder for the Redis server at {@code uri}: {@code redis://host:port}, {@code
     * redis://:password@host:port/db}, or {@code rediss://…} for TLS (Lettuce's URI syntax).
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** The Redis URI. */
    public String uri() {
        return uri;
    }

    /** The channel prefix; {@code socket.io} by default, as Node's {@code key}. */
    public String key() {
        return key;
    }

    /** How long cluster requests wait for answers; 5 s by default. */
    public Duration requestsTimeout() {
        return requestsTimeout;
    }

    /**
     * Whether answers go to the asking node's own response channel instead of the shared one;
     * false by default, as in Node 8.3, where every node of a cluster must agree on it.
     */
    public boolean publishOnSpecificResponseChannel() {
        return publishOnSpecificResponseChannel;
    }

    /** The cap of the exponential back-off between reconnect attempts; 60 s by default. */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /**
     * PEM certificates to trust for {@code rediss://} instead of the JDK's default trust store:
     * for a Redis with a self-signed or private-CA certificate. Empty by default.
     */
    public Optional<Path> trustedCertificates() {
        return trustedCertificates;
    }

    /**
     * Whether the URI names a node of a Redis Cluster rather than a standalone server: classic
     * pub/sub then goes through the cluster (which forwards every message to every node), with
     * the topology followed across failovers. False by default. For many nodes, {@link
     * ShardedRedisAdapter} spreads the load over the masters instead.
     */
    public boolean cluster() {
        return cluster;
    }

    /** Builds {@link RedisAdapterOptions}. */
    public static final class Builder {
        private final String uri;
        private String key = Channels.DEFAULT_KEY;
        private Duration requestsTimeout = Duration.ofSeconds(5);
        private boolean publishOnSpecificResponseChannel;
        private Duration reconnectMaxDelay = Duration.ofSeconds(60);
        private Optional<Path> trustedCertificates = Optional.empty();
        private boolean cluster;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** See {@link RedisAdapterOptions#key()}. */
        public Builder key(String value) {
            this.key = Objects.requireNonNull(value, "key");
            return this;
        }

        /** See {@link RedisAdapterOptions#requestsTimeout()}. */
        public Builder requestsTimeout(Duration value) {
            this.requestsTimeout = Objects.requireNonNull(value, "requestsTimeout");
            return this;
        }

        /** See {@link RedisAdapterOptions#publishOnSpecificResponseChannel()}. */
        public Builder publishOnSpecificResponseChannel(boolean value) {
            this.publishOnSpecificResponseChannel = value;
            return this;
        }

        /** See {@link RedisAdapterOptions#reconnectMaxDelay()}. */
        public Builder reconnectMaxDelay(Duration value) {
            this.reconnectMaxDelay = Objects.requireNonNull(value, "reconnectMaxDelay");
            return this;
        }

        /** See {@link RedisAdapterOptions#trustedCertificates()}. */
        public Builder trustedCertificates(Path pemFile) {
            this.trustedCertificates = Optional.of(Objects.requireNonNull(pemFile, "trustedCertificates"));
            return this;
        }

        /** See {@link RedisAdapterOptions#cluster()}. */
        public Builder cluster(boolean value) {
            this.cluster = value;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException if a value is out of range, naming the option
         */
        public RedisAdapterOptions build() {
            OptionChecks.prefix("key", key);
            OptionChecks.positive("requestsTimeout", requestsTimeout);
            OptionChecks.reconnectMaxDelay(reconnectMaxDelay);
            if (cluster && trustedCertificates.isPresent()) {
                throw new IllegalArgumentException("trustedCertificates is not supported with cluster yet");
            }
            return new RedisAdapterOptions(this);
        }
    }
}
