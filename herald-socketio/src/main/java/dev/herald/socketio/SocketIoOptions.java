package dev.herald.socketio;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.socketio.adapter.AdapterFactory;
import dev.herald.socketio.adapter.InMemoryAdapter;
import dev.herald.socketio.parser.Parser;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
    private final long maxAttachmentBytes;
    private final int maxNamespaceLength;
    private final int maxPendingAcks;
    private final Optional<ConnectionStateRecovery> connectionStateRecovery;
    private final Optional<Duration> ackTimeout;
    private final boolean cleanupEmptyChildNamespaces;
    private final Parser parser;

    private SocketIoOptions(Builder b) {
        this.parser = b.parser;
        this.ackTimeout = Optional.ofNullable(b.ackTimeout);
        this.cleanupEmptyChildNamespaces = b.cleanupEmptyChildNamespaces;
        this.connectionStateRecovery = b.recoveryWindow == null
                ? Optional.empty()
                : Optional.of(new ConnectionStateRecovery(b.recoveryWindow, b.skipMiddlewares, b.recoveryMaxPackets));
        this.maxAttachmentBytes = b.maxAttachmentBytes >= 0 ? b.maxAttachmentBytes : b.engine.maxHttpBufferSize();
        this.maxNamespaceLength = b.maxNamespaceLength;
        this.maxPendingAcks = b.maxPendingAcks;
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

    /**
     * The most bytes the binary attachments of one packet may hold together; a client sending more
     * is disconnected ({@code parse error}). Defaults to the engine's {@code maxHttpBufferSize}
     * (1 MB), what one polling request could carry: without it, a WebSocket client could send
     * {@code maxAttachments} frames of {@code maxHttpBufferSize} each for one packet.
     */
    public long maxAttachmentBytes() {
        return maxAttachmentBytes;
    }

    /**
     * The longest namespace name a client may send, in chars; a longer one disconnects the client
     * ({@code parse error}) before any lookup or dynamic-namespace matcher sees it. 256.
     */
    public int maxNamespaceLength() {
        return maxNamespaceLength;
    }

    /**
     * How many server-to-client acks one socket may have outstanding ({@code emitWithAck} not yet
     * answered, timed out or failed). Past it, a new {@code emitWithAck} does not send the event and
     * its future fails at once with {@link SocketIoException} ("too many pending acks"); the
     * connection stays open. 1000.
     */
    public int maxPendingAcks() {
        return maxPendingAcks;
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

    /**
     * Connection state recovery, if on (off by default, as in socket.io): a client that comes back
     * within the window resumes its socket (id, rooms, {@link Socket#data()}) and receives the
     * events it missed. Turning it on appends an offset to every event that is not volatile and
     * has no ack id, as socket.io does.
     */
    public Optional<ConnectionStateRecovery> connectionStateRecovery() {
        return connectionStateRecovery;
    }

    /**
     * How long {@code emitWithAck} waits when no {@code timeout(...)} was given, on sockets and on
     * broadcasts (Node's {@code ackTimeout}); none by default, as in Node.
     */
    public Optional<Duration> ackTimeout() {
        return ackTimeout;
    }

    /**
     * Whether a child of a dynamic namespace ({@code io.of(Pattern)}) is dropped once its last
     * socket has left, as Node's {@code cleanupEmptyChildNamespaces}; false by default (then
     * children stay until the server closes).
     */
    public boolean cleanupEmptyChildNamespaces() {
        return cleanupEmptyChildNamespaces;
    }

    /**
     * The packet codec every client of this server speaks, as socket.io's {@code parser} option;
     * {@link Parser#standard()}.
     */
    public Parser parser() {
        return parser;
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
        b.maxAttachmentBytes = maxAttachmentBytes;
        b.maxNamespaceLength = maxNamespaceLength;
        b.maxPendingAcks = maxPendingAcks;
        b.ackTimeout = ackTimeout.orElse(null);
        b.cleanupEmptyChildNamespaces = cleanupEmptyChildNamespaces;
        b.parser = parser;
        connectionStateRecovery.ifPresent(c -> {
            b.recoveryWindow = c.maxDisconnectionDuration();
            b.skipMiddlewares = c.skipMiddlewares();
            b.recoveryMaxPackets = c.maxPackets();
        });
        return b;
    }

    @Override
    public String toString() {
        return "SocketIoOptions[connectTimeout=" + connectTimeout + ", maxAttachments=" + maxAttachments
                + ", maxAttachmentBytes=" + maxAttachmentBytes + ", maxNamespaceLength=" + maxNamespaceLength
                + ", maxPendingEvents=" + maxPendingEvents + ", maxPendingAcks=" + maxPendingAcks
                + ", dispatchMode=" + dispatchMode + ", ackTimeout=" + ackTimeout + ", cleanupEmptyChildNamespaces="
                + cleanupEmptyChildNamespaces + ", connectionStateRecovery=" + connectionStateRecovery
                + ", parser=" + parser.name() + ", engine=" + engine + "]";
    }

    /** Builds {@link SocketIoOptions}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(45);
        private int maxAttachments = 10;
        private DispatchMode dispatchMode = DispatchMode.IN_ORDER;
        private AdapterFactory adapterFactory = InMemoryAdapter::new;
        private EngineIoOptions engine = EngineIoOptions.defaults();
        private int maxPendingEvents = 1000;
        // -1: the engine's maxHttpBufferSize, resolved in build().
        private long maxAttachmentBytes = -1;
        private int maxNamespaceLength = 256;
        private int maxPendingAcks = 1000;
        // null: recovery off.
        private Duration recoveryWindow;
        // null: no default.
        private Duration ackTimeout;
        private boolean cleanupEmptyChildNamespaces;
        private boolean skipMiddlewares = true;
        private int recoveryMaxPackets = ConnectionStateRecovery.DEFAULT_MAX_PACKETS;
        private Parser parser = Parser.standard();

        private Builder() {}

        /** See {@link SocketIoOptions#parser()}; e.g. {@code parser(Parser.msgpack())}. */
        public Builder parser(Parser value) {
            this.parser = Objects.requireNonNull(value, "parser");
            return this;
        }

        /**
         * Turns connection state recovery on, as socket.io's {@code connectionStateRecovery}
         * option: sessions and missed packets are kept for {@code maxDisconnectionDuration} (Node
         * uses 2 minutes); {@code skipMiddlewares} lets a recovered socket skip the namespace
         * middlewares (Node: true).
         */
        public Builder connectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
            this.recoveryWindow = Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
            this.skipMiddlewares = skipMiddlewares;
            return this;
        }

        /** Connection state recovery with Node's defaults: a 2-minute window, middlewares skipped. */
        public Builder connectionStateRecovery() {
            return connectionStateRecovery(ConnectionStateRecovery.DEFAULT_MAX_DISCONNECTION_DURATION, true);
        }

        /** See {@link SocketIoOptions#cleanupEmptyChildNamespaces()}. */
        public Builder cleanupEmptyChildNamespaces(boolean value) {
            this.cleanupEmptyChildNamespaces = value;
            return this;
        }

        /** See {@link SocketIoOptions#ackTimeout()}. */
        public Builder ackTimeout(Duration value) {
            this.ackTimeout = Objects.requireNonNull(value, "ackTimeout");
            return this;
        }

        /** See {@link ConnectionStateRecovery#maxPackets()}; 100 000. */
        public Builder recoveryMaxPackets(int value) {
            this.recoveryMaxPackets = value;
            return this;
        }

        /** See {@link SocketIoOptions#maxAttachmentBytes()}. */
        public Builder maxAttachmentBytes(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxAttachmentBytes must be >= 0, was " + value);
            }
            this.maxAttachmentBytes = value;
            return this;
        }

        /** See {@link SocketIoOptions#maxNamespaceLength()}. */
        public Builder maxNamespaceLength(int value) {
            this.maxNamespaceLength = value;
            return this;
        }

        /** See {@link SocketIoOptions#maxPendingAcks()}. */
        public Builder maxPendingAcks(int value) {
            this.maxPendingAcks = value;
            return this;
        }

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
            if (maxNamespaceLength < 1) {
                throw new IllegalArgumentException("maxNamespaceLength must be >= 1, was " + maxNamespaceLength);
            }
            if (maxPendingAcks < 1) {
                throw new IllegalArgumentException("maxPendingAcks must be >= 1, was " + maxPendingAcks);
            }
            if (maxPendingEvents < 1) {
                throw new IllegalArgumentException("maxPendingEvents must be >= 1, was " + maxPendingEvents);
            }
            if (ackTimeout != null && (ackTimeout.isNegative() || ackTimeout.isZero())) {
                throw new IllegalArgumentException("ackTimeout must be positive, was " + ackTimeout);
            }
            if (recoveryMaxPackets < 1) {
                throw new IllegalArgumentException("recoveryMaxPackets must be at least 1, was " + recoveryMaxPackets);
            }
            return new SocketIoOptions(this);
        }
    }
}
