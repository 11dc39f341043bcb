package dev.herald.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;

/**
 * Start-up against a Redis that is not there yet: waiting and trying again with capped back-off
 * when Redis cannot be reached (refused, reset, timed out), failing at once when it answered but
 * refused us (wrong password, untrusted certificate), since waiting would not fix that.
 */
public final class Unreachable {

    /** The first wait before trying again. */
    public static final Duration FIRST_RETRY = Duration.ofMillis(200);

    private Unreachable() {}

    /** Whether the failure means Redis could not be reached, rather than that it refused us. */
    public static boolean test(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException || t instanceof SSLException) {
                return false;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException
                    || t instanceof ConnectTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return failure instanceof RedisConnectionException && failure.getCause() == null;
    }

    /** The next wait: twice the last one, at most {@code max}. */
    public static Duration next(Duration last, Duration max) {
        var doubled = last.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /**
     * Connects, waiting and trying again while Redis is unreachable, with a WARN line per attempt
     * that names {@code where} (host and port, never a password).
     *
     * @throws RuntimeException the failure, when Redis refused us
     */
    public static <T> T await(Logger log, String where, Duration maxDelay, Supplier<T> connect) {
        Duration delay = FIRST_RETRY;
        while (true) {
            try {
                return connect.get();
            } catch (RuntimeException e) {
                if (!test(e)) {
                    throw e;
                }
                log.warn(
                        "Redis at {} is unreachable ({}); trying again in {} ms",
                        where,
                        rootMessage(e),
                        delay.toMillis());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay = next(delay, maxDelay);
            }
        }
    }

    /** Hosts and ports of Redis URIs, for logs: a URI may carry a password. */
    public static String where(List<String> uris) {
        return uris.stream()
                .map(uri -> {
                    try {
                        var parsed = RedisURI.create(uri);
                        return parsed.getHost() + ":" + parsed.getPort();
                    } catch (RuntimeException e) {
                        return "the given URI";
                    }
                })
                .collect(Collectors.joining(","));
    }

    /** The message of the innermost cause, which names what failed (refused, timed out, …). */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
