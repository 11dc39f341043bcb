package dev.herald.redis;

import dev.herald.redis.internal.RedisLink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of a node's stream: a chain of blocking XREADs, each entry handed to the adapter
 * of its namespace; a failed read is retried with a growing delay, and said once in the log.
 *
 * <p>Threading: one read at a time, each started from the previous one's callback, so the fields
 * are owned by that chain.
 */
final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);

    private final RedisLink link;
    private final RedisStreamsAdapterOptions options;
    private final Function<String, RedisStreamsAdapter> adapters;
    private final BooleanSupplier closed;
    // Owned by the chain of reads.
    private String lastId;
    private int failures;

    StreamReader(
            RedisLink link,
            RedisStreamsAdapterOptions options,
            StreamEntryId start,
            Function<String, RedisStreamsAdapter> adapters,
            BooleanSupplier closed) {
        this.link = link;
        this.options = options;
        this.lastId = start.toString();
        this.adapters = adapters;
        this.closed = closed;
    }

    void read() {
        if (closed.getAsBoolean()) {
            return;
        }
        link.xread(options.streamName(), lastId, options.readCount(), options.blockTime())
                .whenComplete((entries, e) -> {
                    if (e != null) {
                        if (!closed.getAsBoolean() && failures++ == 0) {
                            log.warn("cannot read the stream {}, retrying: {}", options.streamName(), e.toString());
                        }
                        long delay = Math.min(options.reconnectMaxDelay().toMillis(), 50L << Math.min(failures, 10));
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                                .execute(this::read);
                        return;
                    }
                    if (failures > 0) {
                        log.warn("reading the stream {} again", options.streamName());
                        failures = 0;
                    }
                    for (var entry : entries) {
                        lastId = entry.getId();
                        byte[] nsp = entry.getBody().get("nsp");
                        var adapter = nsp == null ? null : adapters.apply(new String(nsp, StandardCharsets.UTF_8));
                        if (adapter != null) {
                            adapter.onEntry(entry.getId(), entry.getBody());
                        }
                    }
                    read();
                });
    }
}
