package dev.herald.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what happened, per second and kind, until the next {@code server_stats} takes them:
 * the dashboard's {@code aggregatedEvents} (its charts in both modes).
 *
 * <p>Threading: {@link #push} from any thread (event loops included), lock-free; {@link #drain} on
 * the stats thread. A count added while a drain runs lands in that drain or the next one.
 */
final class EventBuffer {

    private record Key(long second, String type, Optional<String> subType) {}

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    void push(String type, Optional<String> subType, long count) {
        long second = System.currentTimeMillis() / 1000 * 1000;
        counts.computeIfAbsent(new Key(second, Objects.requireNonNull(type), subType), k -> new LongAdder())
                .add(count);
    }

    /** The counts so far, as Node's {@code getValuesAndClear()}. */
    ArrayNode drain() {
        ArrayNode out = Serialized.NODES.arrayNode();
        for (Key key : counts.keySet()) {
            LongAdder adder = counts.remove(key);
            if (adder == null) {
                continue;
            }
            ObjectNode e = out.addObject().put("timestamp", key.second()).put("type", key.type());
            key.subType().ifPresent(s -> e.put("subType", s));
            e.put("count", adder.sum());
        }
        return out;
    }
}
