package dev.herald.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The herald.* properties. Defaults are the JS reference's, as everywhere in Herald.
 *
 * @param path the Engine.IO path, on the application's port or on herald.server.port
 * @param pingInterval how often the server pings each connection
 * @param pingTimeout how long a missing pong is tolerated before the connection closes
 * @param maxHttpBufferSize the largest polling body or WebSocket message accepted (1 MB as 10^6 bytes)
 * @param allowEio3 whether Engine.IO v3 clients (socket.io-client 1.x and 2.x) may connect
 * @param cors who may connect from a foreign origin (polling and the WebSocket upgrade)
 * @param recovery connection state recovery
 * @param server a separate Netty port instead of the application's own
 * @param redis the Redis adapter on Spring Boot's Redis connection settings
 * @param adminUi the Socket.IO Admin UI (needs herald-admin-ui on the class path)
 * @param serveClient whether the official client bundles are served under the path
 *     (socket.io.min.js and the others Node's serveClient serves), as in the reference
 */
@ConfigurationProperties("herald")
public record HeraldProperties(
        @DefaultValue("/socket.io/") String path,
        @DefaultValue("25s") Duration pingInterval,
        @DefaultValue("20s") Duration pingTimeout,
        @DefaultValue("1000000B") DataSize maxHttpBufferSize,
        @DefaultValue("false") boolean allowEio3,
        @DefaultValue Cors cors,
        @DefaultValue Recovery recovery,
        @DefaultValue Server server,
        @DefaultValue Redis redis,
        @DefaultValue AdminUi adminUi,
        @DefaultValue("true") boolean serveClient) {

    /**
     * CORS for the Engine.IO path. Empty (the default) means same origin only.
     *
     * @param allowedOrigins *, exact origins (https://app.example.com) or a leading
     *     wildcard label (https://*.example.com), the subset of Spring's allowed-origin
     *     patterns that Herald's CorsOptions understands
     * @param allowCredentials whether Access-Control-Allow-Credentials: true is sent
     */
    public record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue("false") boolean allowCredentials) {}

    /**
     * Connection state recovery (off by default, as in the reference).
     *
     * @param enabled whether a reconnecting client gets its id, rooms and missed packets back
     * @param maxDisconnectionDuration how long a disconnected session is kept for that
     * @param skipMiddlewares whether a recovered connection skips the connection middlewares
     */
    public record Recovery(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("2m") Duration maxDisconnectionDuration,
            @DefaultValue("true") boolean skipMiddlewares) {}

    /**
     * A separate port served by Herald's Netty transport. Unset (the default), Herald shares the
     * servlet web application's port.
     *
     * @param port the port (0 for any free one); absent for the application's own port
     * @param host the address to bind
     */
    public record Server(
            Integer port, @DefaultValue("0.0.0.0") String host) {

        /** The separate port, when one is configured. */
        public Optional<Integer> separatePort() {
            return Optional.ofNullable(port);
        }
    }

    /**
     * The Redis adapter, connected with the application's spring.data.redis settings (needs
     * spring-boot-starter-data-redis and herald-redis on the class path).
     *
     * @param enabled whether every namespace gets a Redis adapter instead of the in-memory one
     * @param key the channel prefix, as @socket.io/redis-adapter's key
     */
    public record Redis(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("socket.io") String key) {}

    /**
     * The server side of the Socket.IO Admin UI, as Node's {@code instrument(io, opts)}, and its
     * dashboard served at /admin-ui/.
     *
     * @param enabled whether the admin namespace is added
     * @param namespace the admin namespace
     * @param auth whether the dashboard must log in (basic auth); false only when set explicitly,
     *     as Node's auth: false
     * @param username the login name, required with auth
     * @param passwordHash the bcrypt hash of the password, required with auth (as Node's
     *     password: a $2a$, $2b$ or $2y$ hash, never the password itself)
     * @param readonly whether the dashboard may only look
     * @param mode development (every event shown) or production (aggregated counts)
     * @param dashboard whether the dashboard's files are served at /admin-ui/ on Herald's port
     */
    public record AdminUi(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("/admin") String namespace,
            @DefaultValue("true") boolean auth,
            String username,
            String passwordHash,
            @DefaultValue("false") boolean readonly,
            @DefaultValue("development") String mode,
            @DefaultValue("true") boolean dashboard) {}
}
