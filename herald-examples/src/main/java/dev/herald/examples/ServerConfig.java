package dev.herald.examples;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an app gets its host, port and the like: the Java counterpart of Flask-SocketIO's
 * {@code socketio.run(app, host, port, debug)} plus a {@code config.py}.
 *
 * <p>Sources, strongest first: command-line flags ({@code --port 5000}, {@code --debug}), then
 * environment variables ({@code HERALD_PORT}), then a properties file ({@code port=5000}; the one
 * named by {@code --config FILE} or {@code HERALD_CONFIG}, else {@code herald.properties} in the
 * working directory when it exists), then the defaults. Keys are written {@code redis-uri} on the
 * command line, {@code redis-uri} or {@code redis.uri} in the file and {@code HERALD_REDIS_URI} in
 * the environment; {@code redis} is short for {@code redis-uri} everywhere ({@code --redis URI}).
 *
 * <p>Any other key lands in {@link #extra()} for the app's own settings. A key that neither this
 * record nor the app reads is most often a typo ({@code --redis-url} for {@code --redis}), so an
 * app names the extra keys it reads to {@link #warnUnusedKeys(Collection)} once it has read them,
 * and every other key is logged at WARN instead of passing silently.
 *
 * <p>Immutable and thread-safe. Every problem is a {@link ConfigException} whose message is one
 * line naming the key and what it allows.
 *
 * @param host the interface to bind; default {@code 0.0.0.0}
 * @param port the TCP port, 0 for any free one; default 5000, as Flask-SocketIO
 * @param debug verbose logs; default false
 * @param redisUri the Redis server to join as a cluster node, if any
 * @param extra every other key given, for the app's own settings
 */
public record ServerConfig(String host, int port, boolean debug, Optional<String> redisUri, Map<String, String> extra) {

    /** The keys this record reads itself; any other key lands in {@link #extra()}. */
    private static final List<String> KNOWN = List.of("host", "port", "debug", "redis-uri", "config");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(redisUri, "redisUri");
        extra = Map.copyOf(extra);
    }

    /** The defaults alone. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 5000, false, Optional.empty(), Map.of());
    }

    /** Loads from the command line, the process environment and the properties file. */
    public static ServerConfig load(String[] args) {
        return load(args, System.getenv(), Path.of("."));
    }

    /**
     * Loads from the given sources; {@code workDir} is where {@code herald.properties} is looked
     * for when no file is named.
     */
    public static ServerConfig load(String[] args, Map<String, String> env, Path workDir) {
        Map<String, String> cli = parseArgs(args);
        Map<String, String> fromEnv = parseEnv(env);
        Map<String, String> fromFile = readFile(cli, fromEnv, workDir);

        Map<String, String> merged = new LinkedHashMap<>(fromFile);
        merged.putAll(fromEnv);
        merged.putAll(cli);

        ServerConfig d = defaults();
        String host = merged.getOrDefault("host", d.host());
        if (host.isBlank()) {
            throw new ConfigException("host: must be a host name or address, got an empty value");
        }
        int port = merged.containsKey("port") ? parsePort(merged.get("port")) : d.port();
        boolean debug = merged.containsKey("debug") ? parseBoolean("debug", merged.get("debug")) : d.debug();
        Optional<String> redis = Optional.ofNullable(merged.get("redis-uri")).filter(s -> !s.isBlank());
        redis.ifPresent(ServerConfig::checkRedisUri);

        Map<String, String> extra = new LinkedHashMap<>(merged);
        KNOWN.forEach(extra::remove);
        return new ServerConfig(host, port, debug, redis, extra);
    }

    /**
     * The keys given that neither this record nor the app reads: those of {@link #extra()} not in
     * {@code appKeys}, sorted.
     *
     * @param appKeys the extra keys the app reads, written as on the command line ({@code shutdown-grace-ms})
     */
    public List<String> unusedKeys(Collection<String> appKeys) {
        Set<String> read =
                Set.copyOf(appKeys.stream().map(ServerConfig::normalize).toList());
        return extra.keySet().stream().filter(k -> !read.contains(k)).sorted().toList();
    }

    /**
     * Logs one WARN naming every {@linkplain #unusedKeys(Collection) unused key}, if any, and returns
     * them. Values are not logged: one may be a secret.
     *
     * @param appKeys the extra keys the app reads
     */
    public List<String> warnUnusedKeys(Collection<String> appKeys) {
        List<String> unused = unusedKeys(appKeys);
        if (!unused.isEmpty()) {
            List<String> known = new ArrayList<>(List.of("host", "port", "debug", "redis", "config"));
            appKeys.stream().map(ServerConfig::normalize).forEach(known::add);
            // Looked up here, not in a static field: an app turns on --debug after load(), and
            // slf4j-simple fixes its level when the first logger is made.
            Logger log = LoggerFactory.getLogger(ServerConfig.class);
            log.warn(
                    "ignoring {} {}: nothing reads {} (known keys: {})",
                    unused.size() == 1 ? "setting" : "settings",
                    String.join(", ", unused.stream().map(k -> "'" + k + "'").toList()),
                    unused.size() == 1 ? "it" : "them",
                    String.join(", ", known));
        }
        return unused;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg
                        + "': options are --host H, --port N, --debug, --config FILE, --redis URI, --key value");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (key.equals("debug")
                    && (i + 1 >= list.size() || list.get(i + 1).startsWith("--"))) {
                value = "true";
            } else if (i + 1 < list.size()) {
                value = list.get(++i);
            } else {
                throw new ConfigException(key + ": the flag --" + key + " needs a value");
            }
            out.put(normalize(key), value);
        }
        return out;
    }

    private static Map<String, String> parseEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("HERALD_") && k.length() > 7 && !k.equals("HERALD_JAVA_OPTS")) {
                out.put(normalize(k.substring(7)), v);
            }
        });
        return out;
    }

    private static Map<String, String> readFile(Map<String, String> cli, Map<String, String> env, Path workDir) {
        String named = cli.getOrDefault("config", env.get("config"));
        Path file;
        if (named != null) {
            file = workDir.resolve(named);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config: no such file " + file);
            }
        } else {
            file = workDir.resolve("herald.properties");
            if (!Files.isRegularFile(file)) {
                return Map.of();
            }
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config: cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.stringPropertyNames()
                .forEach(k -> out.put(normalize(k), props.getProperty(k).trim()));
        return out;
    }

    /** {@code REDIS_URI}, {@code redis.uri}, {@code redis-uri} and {@code redis} all name one key. */
    private static String normalize(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
        return k.equals("redis") ? "redis-uri" : k;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the one-line message.
        }
        throw new ConfigException("port: must be a whole number from 0 to 65535, got '" + value + "'");
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + ": must be true or false, got '" + value + "'");
        };
    }

    private static void checkRedisUri(String uri) {
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            // The value is not echoed: a Redis URI may carry a password.
            throw new ConfigException("redis-uri: must start with redis:// or rediss://");
        }
    }

    /** A bad configuration value; the message is one line naming the key and the allowed values. */
    public static final class ConfigException extends IllegalArgumentException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
