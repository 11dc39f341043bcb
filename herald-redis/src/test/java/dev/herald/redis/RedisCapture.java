package dev.herald.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records every message published on channels that match a pattern, as raw bytes. */
final class RedisCapture implements AutoCloseable, WireCases.Capture {

    /** One published message. */
    record Published(String channel, byte[] message) {}

    private final RedisClient client;
    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final List<Published> published = new CopyOnWriteArrayList<>();

    /** Records the channels matching a pattern. */
    RedisCapture(String redisUri, String pattern) {
        this(redisUri, pattern, true);
    }

    /** Records one channel, as a plain subscriber (counted by {@code PUBSUB NUMSUB}). */
    static RedisCapture channel(String redisUri, String channel) {
        return new RedisCapture(redisUri, channel, false);
    }

    private RedisCapture(String redisUri, String pattern, boolean isPattern) {
        client = RedisClient.create(redisUri);
        connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                published.add(new Published(new String(channel, StandardCharsets.UTF_8), message));
            }

            @Override
            public void message(byte[] channel, byte[] message) {
                published.add(new Published(new String(channel, StandardCharsets.UTF_8), message));
            }
        });
        if (isPattern) {
            connection.sync().psubscribe(pattern.getBytes(StandardCharsets.UTF_8));
        } else {
            connection.sync().subscribe(pattern.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Waits for the next message after the {@code seen} ones, and returns it. */
    Published next(int seen) {
        await().atMost(Duration.ofSeconds(10)).until(() -> published.size() > seen);
        return published.get(seen);
    }

    @Override
    public Published next(int seen, Predicate<Published> matching) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> published.subList(Math.min(seen, published.size()), published.size()).stream()
                        .anyMatch(matching));
        return published.subList(seen, published.size()).stream()
                .filter(matching)
                .findFirst()
                .orElseThrow();
    }

    @Override
    public int size() {
        return published.size();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
