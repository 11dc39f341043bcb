package dev.herald.micrometer;

import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.socketio.DisconnectDetails;
import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoObserver;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.ClusterAdapter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one Herald server: sockets connected per namespace, Engine.IO sessions per
 * transport, connections, disconnections by reason, events in and out, volatile packets dropped,
 * slow-consumer and limit closes, requests refused before a session, cluster messages dropped,
 * handler duration and ack latency.
 * {@code docs/operations.md} lists every meter with its tags.
 *
 * <pre>{@code
 * HeraldMetrics.bind(io, registry);
 * }</pre>
 *
 * <p>Tags are low-cardinality only: {@code namespace}, {@code transport}, {@code reason}; never a
 * socket id, a room or an event name. Bind before the server takes connections: the meters count
 * from then on, and a namespace appears at its first socket (the main namespace at once).
 *
 * <p>Threading: the counting runs in a {@link SocketIoObserver}, on the server's event loops and
 * handler threads, and only increments; gauges are read at scrape time on the scraping thread.
 */
public final class HeraldMetrics implements MeterBinder {

    private static final String NAMESPACE = "namespace";
    private static final String REASON = "reason";
    // The Engine.IO causes counted as limit violations: the client sent more than the server allows.
    private static final Set<String> LIMIT_CAUSES = Set.of("message too large", "parse error");
    // Herald's own limit (Node has none): the socket then leaves as a plain forced close.
    private static final String MAX_PENDING_EVENTS = "max pending events";
    private static final String SLOW_CONSUMER = "slow consumer";

    private final SocketIoServer io;

    private HeraldMetrics(SocketIoServer io) {
        this.io = Objects.requireNonNull(io, "io");
    }

    /** The meters of this server, for {@link #bindTo(MeterRegistry)} (or a framework that binds). */
    public static HeraldMetrics of(SocketIoServer io) {
        return new HeraldMetrics(io);
    }

    /** Registers this server's meters in the registry and starts counting. */
    public static HeraldMetrics bind(SocketIoServer io, MeterRegistry registry) {
        HeraldMetrics metrics = of(io);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Registers the meters; each call adds an observer that counts for that registry. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        EngineIoServer engine = io.engine();
        for (EngineIoOptions.Transport t : EngineIoOptions.Transport.values()) {
            Gauge.builder("engineio.sessions", engine, e -> e.sessionCount(t))
                    .description("Engine.IO sessions open on this node, by current transport")
                    .tag("transport", t.wire())
                    .register(registry);
        }
        FunctionCounter.builder("engineio.volatile.dropped", engine, EngineIoServer::droppedMessages)
                .description("Volatile packets dropped because their client was over the write-buffer mark")
                .register(registry);
        Counting counting = new Counting(registry);
        counting.namespace(io.sockets());
        io.observe(counting);
    }

    /** The per-namespace meters, created at a namespace's first socket; any thread. */
    private final class Counting implements SocketIoObserver {

        private final MeterRegistry registry;
        private final Map<String, NamespaceMeters> byName = new ConcurrentHashMap<>();

        Counting(MeterRegistry registry) {
            this.registry = registry;
        }

        NamespaceMeters namespace(Namespace nsp) {
            NamespaceMeters m = byName.get(nsp.name());
            return m != null ? m : byName.computeIfAbsent(nsp.name(), n -> new NamespaceMeters(registry, io, nsp));
        }

        @Override
        public void socketConnected(Socket socket) {
            namespace(socket.namespace()).connections.increment();
        }

        @Override
        public void socketDisconnected(Socket socket, DisconnectReason reason) {
            NamespaceMeters m = namespace(socket.namespace());
            m.disconnections(reason).increment();
            Optional<String> cause = socket.disconnectDetails().map(DisconnectDetails::cause);
            if (cause.isPresent() && cause.get().equals(SLOW_CONSUMER)) {
                m.slowConsumerCloses.increment();
            } else if (cause.isPresent() && LIMIT_CAUSES.contains(cause.get())) {
                m.limitViolations(cause.get()).increment();
            }
        }

        @Override
        public void pendingEventsExceeded(Socket socket) {
            namespace(socket.namespace()).limitViolations(MAX_PENDING_EVENTS).increment();
        }

        @Override
        public void connectionRefused(ConnectionError error) {
            Counter.builder("engineio.connection.errors")
                    .description(
                            "Requests refused before reaching a session (Node's connection_error), by code and cause")
                    .tag("code", Integer.toString(error.code().code()))
                    .tag("name", error.context().getOrDefault("name", "none"))
                    .register(registry)
                    .increment();
        }

        @Override
        public void eventReceived(Socket socket, String event, EventArgs args) {
            namespace(socket.namespace()).received.increment();
        }

        @Override
        public void eventSent(Socket socket, String event, EventArgs args) {
            namespace(socket.namespace()).sent.increment();
        }

        @Override
        public void eventHandled(Socket socket, String event, Duration duration) {
            namespace(socket.namespace()).handlerDuration.record(duration);
        }

        @Override
        public void ackReceived(Socket socket, Duration latency) {
            namespace(socket.namespace()).ackLatency.record(latency);
        }
    }

    /** One namespace's meters; the reason-tagged ones are looked up in the registry when used. */
    private static final class NamespaceMeters {

        private final MeterRegistry registry;
        private final String name;
        final Counter connections;
        final Counter received;
        final Counter sent;
        final Counter slowConsumerCloses;
        final Timer handlerDuration;
        final Timer ackLatency;

        NamespaceMeters(MeterRegistry registry, SocketIoServer io, Namespace nsp) {
            this.registry = registry;
            this.name = nsp.name();
            // Read through the server, not this Namespace: an emptied child namespace is replaced
            // by a new one of the same name.
            Gauge.builder(
                            "socketio.sockets.connected",
                            io,
                            s -> s.namespace(name).map(n -> n.sockets().size()).orElse(0))
                    .description("Sockets connected to the namespace on this node")
                    .tag(NAMESPACE, name)
                    .register(registry);
            if (nsp.adapter() instanceof ClusterAdapter) {
                FunctionCounter.builder(
                                "socketio.adapter.messages.dropped",
                                io,
                                s -> s.namespace(name)
                                        .map(n -> n.adapter() instanceof ClusterAdapter c ? c.droppedMessages() : 0L)
                                        .orElse(0L))
                        .description("Cluster messages the adapter could not publish (the broker was unreachable)")
                        .tag(NAMESPACE, name)
                        .register(registry);
            }
            connections = counter("socketio.connections", "Sockets admitted to the namespace");
            received = counter("socketio.events.received", "Events received from clients");
            sent = counter("socketio.events.sent", "Events sent to clients, once per recipient");
            slowConsumerCloses = counter(
                    "socketio.slow.consumer.closes",
                    "Sockets whose connection was closed because the client did not read fast enough");
            handlerDuration = Timer.builder("socketio.handler.duration")
                    .description("Time the handlers of one received event took, middlewares included")
                    .tag(NAMESPACE, name)
                    .register(registry);
            ackLatency = Timer.builder("socketio.ack.latency")
                    .description("Time from an event sent with an ack to the client's answer")
                    .tag(NAMESPACE, name)
                    .register(registry);
        }

        // Counts without a base unit: Prometheus would append it to names that already say what they count.
        private Counter counter(String meter, String description) {
            return Counter.builder(meter)
                    .description(description)
                    .tag(NAMESPACE, name)
                    .register(registry);
        }

        Counter disconnections(DisconnectReason reason) {
            return Counter.builder("socketio.disconnections")
                    .description("Sockets that left the namespace, by reason")
                    .tag(NAMESPACE, name)
                    .tag(REASON, reason.wire())
                    .register(registry);
        }

        Counter limitViolations(String cause) {
            return Counter.builder("socketio.limit.violations")
                    .description("Sockets whose connection was closed because the client went past a limit")
                    .tag(NAMESPACE, name)
                    .tag(REASON, cause.toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }
}
