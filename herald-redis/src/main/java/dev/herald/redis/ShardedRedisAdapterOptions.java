package dev.herald.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of {@link ShardedRedisAdapter}, with the defaults of {@code @socket.io/redis-adapter}'s
 * {@code createShardedAdapter}. Immutable; built with {@link #builder(String, String...)}.
 */
public final class ShardedRedisAdapterOptions {

    private final List<String> uris;
    private final String channelPrefix;
    private final SubscriptionMode subscriptionMode;
    private final Duration requestsTimeout;
    private final Duration reconnectMaxDelay;
    private final Duration topologyRefreshPeriod;

    private ShardedRedisAdapterOptions(Builder b) {
        this.uris = List.copyOf(b.uris);
        this.channelPrefix = b.channelPrefix;
        this.subscriptionMode = b.subscriptionMode;
        this.requestsTimeout = b.requestsTimeout;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.topologyRefreshPeriod = b.topologyRefreshPeriod;
    }

    /**
     * A builder for the Redis Cluster that these nodes belong to ({@code redis://host:port}, one
     * is enough: the others are discovered; more are tried in turn at start-up).
     */
    public static Builder builder(String uri, String... moreUris) {
        return new Builder(uri, moreUris);
    }

    /** The seed URIs of the cluster. */
    public List<String> uris() {
        return uris;
    }

    /** The prefix of the channel names; {@code socket.io} by default, as Node's {@code channelPrefix}. */
    public String channelPrefix() {
        return channelPrefix;
    }

    /** Which channels a node subscribes to; {@link SubscriptionMode#DYNAMIC} by default, as Node. */
    public SubscriptionMode subscriptionMode() {
        return subscriptionMode;
    }

    /** How long cluster requests wait for answers; 5 s by default. */
    public Duration requestsTimeout() {
        return requestsTimeout;
    }

    /** The cap of the exponential back-off between reconnect attempts; 60 s by default. */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /**
     * How often the cluster topology is read again, besides the refreshes that redirections and
     * reconnections trigger; 10 s by default. A failed-over master is noticed within about this.
     */
    public Duration topologyRefreshPeriod() {
        return topologyRefreshPeriod;
    }

    /** Builds {@link ShardedRedisAdapterOptions}. */
    public static final class Builder {
        private final List<String> uris = new ArrayList<>();
        private String channelPrefix = "socket.io";
        private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;
        private Duration requestsTimeout = Duration.ofSeconds(5);
        private Duration reconnectMaxDelay = Duration.ofSeconds(60);
        private Duration topologyRefreshPeriod = Duration.ofSeconds(10);

        private Builder(String uri, String... moreUris) {
            uris.add(Objects.requireNonNull(uri, "uri"));
            for (var more : moreUris) {
                uris.add(Objects.requireNonNull(more, "uri"));
            }
        }

        /** See {@link ShardedRedisAdapterOptions#channelPrefix()}. */
        public Builder channelPrefix(String value) {
            this.channelPrefix = Objects.requireNonNull(value, "channelPrefix");
            return this;
        }

        /** See {@link ShardedRedisAdapterOptions#subscriptionMode()}. */
        public Builder subscriptionMode(SubscriptionMode value) {
            this.subscriptionMode = Objects.requireNonNull(value, "subscriptionMode");
            return this;
        }

        /** See {@link ShardedRedisAdapterOptions#requestsTimeout()}. */
        public Builder requestsTimeout(Duration value) {
            this.requestsTimeout = Objects.requireNonNull(value, "requestsTimeout");
            return this;
        }

        /** See {@link ShardedRedisAdapterOptions#reconnectMaxDelay()}. */
        public Builder reconnectMaxDelay(Duration value) {
            this.reconnectMaxDelay = Objects.requireNonNull(value, "reconnectMaxDelay");
            return this;
        }

        /** See {@link ShardedRedisAdapterOptions#topologyRefreshPeriod()}. */
        public Builder topologyRefreshPeriod(Duration value) {
            this.topologyRefreshPeriod = Objects.requireNonNull(value, "topologyRefreshPeriod");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException if a value is out of range, naming the option
         */
        public ShardedRedisAdapterOptions build() {
            OptionChecks.prefix("channelPrefix", channelPrefix);
            OptionChecks.positive("requestsTimeout", requestsTimeout);
            OptionChecks.reconnectMaxDelay(reconnectMaxDelay);
            if (topologyRefreshPeriod.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException(
                        "topologyRefreshPeriod must be at least 100 ms: " + topologyRefreshPeriod);
            }
            return new ShardedRedisAdapterOptions(this);
        }
    }
}
