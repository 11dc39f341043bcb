package dev.herald.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.examples.interop.ClientProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Small helpers over {@link ClientProcess} for the demo tests. */
final class Clients {

    private Clients() {}

    /** The events (not connects or upgrades) the client reports within {@code window}. */
    static List<JsonNode> eventsWithin(ClientProcess client, Duration window) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            JsonNode next = client.pollNext(Duration.ofNanos(left));
            if (next != null && next.path("type").asText().equals("event")) {
                events.add(next);
            }
        }
        return events;
    }
}
