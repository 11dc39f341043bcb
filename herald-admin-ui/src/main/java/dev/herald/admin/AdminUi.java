package dev.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.socketio.BroadcastOperator;
import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The server side of the Socket.IO Admin UI ({@code @socket.io/admin-ui} 0.5.1), as Node's
 * {@code instrument(io, opts)}: the admin namespace the dashboard connects to, its login, the
 * events it shows and the operations it sends.
 *
 * <pre>{@code
 * AdminUi.instrument(io, AdminUiOptions.builder().basicAuth("admin", hash).build());
 * NettyServer.builder().engine(io.engine())
 *         .staticClasspath("/admin-ui/", AdminUi.DASHBOARD_CLASSPATH) ...
 * }</pre>
 *
 * <p>The dashboard itself ships in this jar ({@link #DASHBOARD_CLASSPATH}), copied from the npm
 * package at build time, so it is served offline by the app's own server.
 *
 * <p>Threading: what the dashboard asks runs on its socket's virtual thread; what it is told is
 * emitted from the threads that see it happen (see {@code SocketIoObserver}), and the stats every
 * two seconds from one daemon thread of this instance.
 */
public final class AdminUi implements AutoCloseable {

    /** Where the dashboard's files are on the class path, for a static mount at {@code /admin-ui/}. */
    public static final String DASHBOARD_CLASSPATH = "dev/herald/admin/ui/";

    private static final Logger log = LoggerFactory.getLogger(AdminUi.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(2);

    private final SocketIoServer io;
    private final AdminUiOptions options;
    private final Namespace admin;
    private final ScheduledExecutorService statsTimer;
    private final EventBuffer events = new EventBuffer();
    // Between the auth middleware and the connect handler: the session id to send the new socket.
    private final Map<String, String> newSessions = new ConcurrentHashMap<>();
    private final List<String> features;
    private final String serverId;
    private final String hostname;
    private final Instant started =
            ProcessHandle.current().info().startInstant().orElseGet(Instant::now);

    private AdminUi(SocketIoServer io, AdminUiOptions options) {
        this.io = io;
        this.options = options;
        this.admin = io.of(options.namespace());
        this.hostname = hostname();
        // As Node's cluster workers: the host name alone would merge the stats of two nodes on one host.
        this.serverId = options.serverId()
                .orElse(hostname + "#" + ProcessHandle.current().pid());
        List<String> f = new ArrayList<>();
        if (!options.readonly()) {
            f.addAll(List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"));
        }
        f.add("AGGREGATED_EVENTS");
        if (options.mode() == AdminUiOptions.Mode.DEVELOPMENT) {
            f.add("ALL_EVENTS");
        }
        this.features = List.copyOf(f);
        this.statsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-admin-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Instruments the server: creates the admin namespace with its login, starts telling it what
     * happens, and sends the stats every two seconds until {@link #close()}.
     */
    public static AdminUi instrument(SocketIoServer io, AdminUiOptions options) {
        AdminUi ui = new AdminUi(Objects.requireNonNull(io, "io"), Objects.requireNonNull(options, "options"));
        ui.start();
        return ui;
    }

    /** A bcrypt hash of the password (cost 10, {@code $2a$}), for {@link AdminUiOptions.Builder#basicAuth}. */
    public static String hashPassword(String password) {
        return BCrypt.hashpw(Objects.requireNonNull(password, "password"), BCrypt.gensalt(10));
    }

    private void start() {
        if (options.passwordHash().isPresent()) {
            admin.use((socket, next) -> {
                if (authenticated(socket)) {
                    next.proceed();
                } else {
                    next.fail(new ConnectionRefusedException("invalid credentials"));
                }
            });
        } else {
            log.warn("Admin UI authentication is disabled: anyone who reaches {} is admin", options.namespace());
        }
        admin.onConnect(this::onAdminConnect);
        io.observe(new AdminObserver(admin, events, options.mode() == AdminUiOptions.Mode.DEVELOPMENT));
        statsTimer.scheduleAtFixedRate(this::emitStats, 0, STATS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The middleware's check, on the connecting socket's virtual thread (bcrypt takes a while). */
    private boolean authenticated(Socket socket) {
        Optional<String> session = socket.handshake().auth("sessionId");
        if (session.isPresent() && known(session.get())) {
            return true;
        }
        Optional<String> user = socket.handshake().auth("username");
        Optional<String> password = socket.handshake().auth("password");
        if (user.isPresent()
                && user.equals(options.username())
                && password.isPresent()
                && checkPassword(password.get(), options.passwordHash().orElseThrow())) {
            String id = HexFormat.of().formatHex(randomBytes(8));
            options.sessionStore().save(id);
            newSessions.put(socket.id(), id);
            return true;
        }
        return false;
    }

    /** Whether the store knows the session id; a store that cannot answer (Redis away) means no: the password still works. */
    private boolean known(String sessionId) {
        try {
            return options.sessionStore().exists(sessionId).join();
        } catch (RuntimeException e) {
            log.warn("Admin UI session store failed, asking for the password: {}", e.toString());
            return false;
        }
    }

    private static boolean checkPassword(String password, String hash) {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void onAdminConnect(Socket socket) {
        String session = newSessions.remove(socket.id());
        if (session != null) {
            socket.emit("session", session);
        }
        if (!options.readonly()) {
            registerOperations(socket);
        }
        ObjectNode config = Serialized.NODES.objectNode();
        ArrayNode supported = config.putArray("supportedFeatures");
        features.forEach(supported::add);
        socket.emit("config", config);
        if (options.mode() == AdminUiOptions.Mode.DEVELOPMENT) {
            allSockets().thenAccept(all -> socket.emit("all_sockets", all));
        }
    }

    /** Every socket of every namespace, across the cluster when the adapter spans several nodes. */
    private CompletableFuture<ArrayNode> allSockets() {
        List<CompletableFuture<List<ObjectNode>>> parts = new ArrayList<>();
        for (Namespace nsp : io.namespaces()) {
            parts.add(nsp.fetchSockets()
                    .thenApply(list -> list.stream()
                            .map(r -> Serialized.socket(
                                    r,
                                    nsp.name(),
                                    Optional.ofNullable(nsp.sockets().get(r.id()))))
                            .toList()));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ArrayNode out = Serialized.NODES.arrayNode();
            parts.forEach(p -> p.join().forEach(out::add));
            return out;
        });
    }

    /** The dashboard's operations: {@code emit}, {@code join}, {@code leave}, {@code _disconnect}. */
    private void registerOperations(Socket socket) {
        socket.on(
                "emit",
                (s, args) -> target(args, 0, 1).ifPresent(to -> {
                    List<JsonNode> rest = args.nodes().subList(Math.min(3, args.size()), args.size());
                    to.emit(args.string(2), rest.toArray());
                }));
        socket.on("join", (s, args) -> target(args, 0, 2).ifPresent(to -> to.socketsJoin(args.string(1))));
        socket.on("leave", (s, args) -> target(args, 0, 2).ifPresent(to -> to.socketsLeave(args.string(1))));
        socket.on(
                "_disconnect",
                (s, args) -> target(args, 0, 2)
                        .ifPresent(to -> to.disconnectSockets(args.node(1).asBoolean(false))));
    }

    /**
     * The sockets an operation acts on: the namespace named at {@code nspAt}, narrowed to the room at
     * {@code filterAt} when given. An unknown namespace is not created, as a typo in the dashboard
     * should not make one.
     */
    private Optional<BroadcastOperator> target(EventArgs args, int nspAt, int filterAt) {
        Optional<Namespace> nsp = io.namespace(args.string(nspAt));
        JsonNode filter = args.size() > filterAt ? args.node(filterAt) : null;
        return nsp.map(
                n -> filter != null && filter.isTextual() && !filter.asText().isEmpty()
                        ? n.in(filter.asText())
                        : n.except());
    }

    private void emitStats() {
        try {
            ObjectNode stats = Serialized.NODES
                    .objectNode()
                    .put("serverId", serverId)
                    .put("hostname", hostname)
                    .put("pid", ProcessHandle.current().pid())
                    .put("uptime", Duration.between(started, Instant.now()).toMillis() / 1000.0)
                    .put("clientsCount", io.engine().sessionCount())
                    .put("pollingClientsCount", io.engine().sessionCount(EngineIoOptions.Transport.POLLING));
            stats.set("aggregatedEvents", events.drain());
            ArrayNode namespaces = stats.putArray("namespaces");
            for (Namespace nsp : io.namespaces()) {
                namespaces
                        .addObject()
                        .put("name", nsp.name())
                        .put("socketsCount", nsp.sockets().size());
            }
            admin.emit("server_stats", stats);
        } catch (RuntimeException e) {
            log.warn("Admin UI stats failed", e);
        }
    }

    /** Stops the stats; the namespace and its sockets stay until the server closes. */
    @Override
    public void close() {
        statsTimer.shutdownNow();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
