package dev.herald.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link RedisStreamsAdapter}, with the defaults of
 * {@code @socket.io/redis-streams-adapter} 0.3. Immutable; built with {@link #builder(String)}.
 *
 * <p>Node's {@code heartbeatInterval} and {@code heartbeatTimeout} have no counterpart: 0.3 accepts
 * them but counts the nodes with {@code PUBSUB NUMSUB} on the namespace's public channel, and so
 * does this adapter. {@code streamCount}, {@code useShardedPubSub} and {@code onlyPlaintext} are not
 * supported: every namespace uses the one stream and plain pub/sub.
 */
public final class RedisStreamsAdapterOptions {

    private final String uri;
    private final String streamName;
    private final long maxLen;
    private final int readCount;
    private final Duration blockTime;
    private final String channelPrefix;
    private final String sessionKeyPrefix;
    private final Duration requestsTimeout;
    private final Duration reconnectMaxDelay;
    private final Optional<Path> trustedCertificates;

    private RedisStreamsAdapterOptions(Builder b) {
        this.uri = b.uri;
        this.streamName = b.streamName;
        this.maxLen = b.maxLen;
        this.readCount = b.readCount;
        this.blockTime = b.blockTime;
        this.channelPrefix = b.channelPrefix;
        this.sessionKeyPrefix = b.sessionKeyPrefix;
        this.requestsTimeout = b.requestsTimeout;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.trustedCertificates = b.trustedCertificates;
    }

    /** A builder for the Redis server at {@code uri} (Lettuce's URI syntax, as {@link RedisAdapterOptions}). */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** The Redis URI. */
    public String uri() {
        return uri;
    }

    /** The stream every node reads and writes; {@code socket.io} by default. */
    public String streamName() {
        return streamName;
    }

    /** The stream's length beyond which Redis trims it (approximately, {@code MAXLEN ~}); 10 000 by default. */
    public long maxLen() {
        return maxLen;
    }

    /** How many entries one {@code XREAD} fetches at most; 100 by default. */
    public int readCount() {
        return readCount;
    }

    /** How long one {@code XREAD} waits for entries; 5 s by default. */
    public Duration blockTime() {
        return blockTime;
    }

    /** The prefix of the pub/sub channels; {@code socket.io} by default. */
    public String channelPrefix() {
        return channelPrefix;
    }

    /** The prefix of the session keys; {@code sio:session:} by default. */
    public String sessionKeyPrefix() {
        return sessionKeyPrefix;
    }

    /** How long cluster requests wait for answers; 5 s by default. */
    public Duration requestsTimeout() {
        return requestsTimeout;
    }

    /** The cap of the exponential back-off between reconnect attempts; 60 s by default. */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** PEM certificates to trust for {@code rediss://}, as {@link RedisAdapterOptions#trustedCertificates()}. */
    public Optional<Path> trustedCertificates() {
        return trustedCertificates;
    }

    /** Builds {@link RedisStreamsAdapterOptions}. */
    public static final class Builder {
        private final String uri;
        private String streamName = "socket.io";
        private long maxLen = 10_000;
        private int readCount = 100;
        private Duration blockTime = Duration.ofSeconds(5);
        private String channelPrefix = "socket.io";
        private String sessionKeyPrefix = "sio:session:";
        private Duration requestsTimeout = Duration.ofSeconds(5);
        private Duration reconnectMaxDelay = Duration.ofSeconds(60);
        private Optional<Path> trustedCertificates = Optional.empty();

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** See {@link RedisStreamsAdapterOptions#streamName()}. */
        public Builder streamName(String value) {
            this.streamName = Objects.requireNonNull(value, "streamName");
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#maxLen()}. */
        public Builder maxLen(long value) {
            this.maxLen = value;
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#readCount()}. */
        public Builder readCount(int value) {
            this.readCount = value;
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#blockTime()}. */
        public Builder blockTime(Duration value) {
            this.blockTime = Objects.requireNonNull(value, "blockTime");
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#channelPrefix()}. */
        public Builder channelPrefix(String value) {
            this.channelPrefix = Objects.requireNonNull(value, "channelPrefix");
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#sessionKeyPrefix()}. */
        public Builder sessionKeyPrefix(String value) {
            this.sessionKeyPrefix = Objects.requireNonNull(value, "sessionKeyPrefix");
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#requestsTimeout()}. */
        public Builder requestsTimeout(Duration value) {
            this.requestsTimeout = Objects.requireNonNull(value, "requestsTimeout");
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#reconnectMaxDelay()}. */
        public Builder reconnectMaxDelay(Duration value) {
            this.reconnectMaxDelay = Objects.requireNonNull(value, "reconnectMaxDelay");
            return this;
        }

        /** See {@link RedisStreamsAdapterOptions#trustedCertificates()}. */
        public Builder trustedCertificates(Path pemFile) {
            this.trustedCertificates = Optional.of(Objects.requireNonNull(pemFile, "trustedCertificates"));
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException if a value is out of range, naming the option
         */
        public RedisStreamsAdapterOptions build() {
            if (streamName.isEmpty()) {
                throw new IllegalArgumentException("streamName must not be empty");
            }
            OptionChecks.prefix("channelPrefix", channelPrefix);
            if (maxLen < 1) {
                throw new IllegalArgumentException("maxLen must be at least 1: " + maxLen);
            }
            if (readCount < 1) {
                throw new IllegalArgumentException("readCount must be at least 1: " + readCount);
            }
            // below the 10 s command timeout, or every idle read would count as a failure
            if (blockTime.compareTo(Duration.ofMillis(1)) < 0 || blockTime.compareTo(Duration.ofSeconds(9)) > 0) {
                throw new IllegalArgumentException("blockTime must be between 1 ms and 9 s: " + blockTime);
            }
            OptionChecks.positive("requestsTimeout", requestsTimeout);
            OptionChecks.reconnectMaxDelay(reconnectMaxDelay);
            return new RedisStreamsAdapterOptions(this);
        }
    }
}
