package dev.herald.socketio;

import dev.herald.engineio.EngineIoOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The Socket.IO layer's options. Immutable; built by {@link #builder()}, validated in
 * {@link Builder#build()}. Defaults equal the JS reference.
 */
public final class SocketIoOptions {

    private final Duration connectTimeout;
    private final int maxAttachments;
    private final DispatchMode dispatchMode;
    private final AdapterFactory adapterFactory;
    private final EngineIoOptions engine;
    private final int maxPendingEvents;

    private SocketIoOptions(Builder b) {
        this.engine = b.engine;
        this.maxPendingEvents = b.maxPendingEvents;
        this.connectTimeout = b.connectTimeout;
        this.maxAttachments = b.maxAttachments;
        this.dispatchMode = b.dispatchMode;
        this.adapterFactory = b.adapterFactory;
    }

    /** The defaults. */
    public static SocketIoOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** How long a new connection may take to join a namespace before it is closed; 45 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The most binary attachments one packet may announce; 10. */
    public int maxAttachments() {
        return maxAttachments;
    }

    /** How one socket's events reach handlers; {@link DispatchMode#IN_ORDER}. */
    public DispatchMode dispatchMode() {
        return dispatchMode;
    }

    /** Creates each namespace's adapter; {@code InMemoryAdapter::new}. */
    public AdapterFactory adapterFactory() {
        return adapterFactory;
    }

    /**
     * How many received events one socket may have waiting for (or running in) its handlers; a
     * client that sends faster than its handlers finish is disconnected past it, so a flood cannot
     * fill the heap. 1000.
     */
    public int maxPendingEvents() {
        return maxPendingEvents;
    }

    /** The options of the Engine.IO server this Socket.IO server creates; the engine defaults. */
    public EngineIoOptions engine() {
        return engine;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectTimeout = connectTimeout;
        b.maxAttachments = maxAttachments;
        b.dispatchMode = dispatchMode;
        b.adapterFactory = adapterFactory;
        b.engine = engine;
        b.maxPendingEvents = maxPendingEvents;
        return b;
    }

    @Override
    public String toString() {
        return "SocketIoOptions[connectTimeout=" + connectTimeout + ", maxAttachments=" + maxAttachments
                + ", dispatchMode=" + dispatchMode + ", engine=" + engine + "]";
    }

    /** Builds {@link SocketIoOptions}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(45);
        private int maxAttachments = 10;
        private DispatchMode dispatchMode = DispatchMode.IN_ORDER;
        private AdapterFactory adapterFactory = InMemoryAdapter::new;
        private EngineIoOptions engine = EngineIoOptions.defaults();
        private int maxPendingEvents = 1000;

        private Builder() {}

        /** See {@link SocketIoOptions#connectTimeout()}. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
            return this;
        }

        /** See {@link SocketIoOptions#maxAttachments()}. */
        public Builder maxAttachments(int value) {
            this.maxAttachments = value;
            return this;
        }

        /** See {@link SocketIoOptions#dispatchMode()}. */
        public Builder dispatchMode(DispatchMode value) {
            this.dispatchMode = Objects.requireNonNull(value, "dispatchMode");
            return this;
        }

        /** See {@link SocketIoOptions#adapterFactory()}. */
        public Builder adapterFactory(AdapterFactory value) {
            this.adapterFactory = Objects.requireNonNull(value, "adapterFactory");
            return this;
        }

        /** See {@link SocketIoOptions#maxPendingEvents()}. */
        public Builder maxPendingEvents(int value) {
            this.maxPendingEvents = value;
            return this;
        }

        /** See {@link SocketIoOptions#engine()}. */
        public Builder engine(EngineIoOptions value) {
            this.engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /** Validates and builds. */
        public SocketIoOptions build() {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            if (maxAttachments < 0) {
                throw new IllegalArgumentException("maxAttachments must be >= 0, was " + maxAttachments);
            }
            if (maxPendingEvents < 1) {
                throw new IllegalArgumentException("maxPendingEvents must be >= 1, was " + maxPendingEvents);
            }
            return new SocketIoOptions(this);
        }
    }
}
