package dev.herald.socketio.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.socketio.ConnectionStateRecovery;
import dev.herald.socketio.RecoveryFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recovery store on a clock the test moves: windows, the cap, offsets and room filters. */
class RecoveryStoreTest {

    private final AtomicLong now = new AtomicLong();
    private final RecoveryStore store =
            new RecoveryStore(new ConnectionStateRecovery(Duration.ofSeconds(10), true, 3), now::get);

    private static ArrayNode event(String name) {
        return JsonNodeFactory.instance.arrayNode().add(name);
    }

    private String keep(String name, BroadcastOptions opts) {
        ArrayNode sent = store.keep(event(name), opts);
        return sent.get(sent.size() - 1).asText();
    }

    private static PersistedSession session(Optional<String> start) {
        return new PersistedSession("sid", "pid", Set.of("sid", "room"), Map.of("k", "v"), start);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private List<String> missed(SessionRestore restore) {
        assertThat(restore).isInstanceOf(SessionRestore.Restored.class);
        SessionRestore.Restored r = (SessionRestore.Restored) restore;
        return store.missed(r.replayFrom(), r.session().rooms()).stream()
                .map(d -> d.get(0).asText())
                .toList();
    }

    @Test
    void replaysWhatTheRoomsReceivedAfterTheOffsetInOrder() {
        String first = keep("a", BroadcastOptions.ALL);
        keep("b", BroadcastOptions.rooms(Set.of("room")));
        keep("c", BroadcastOptions.rooms(Set.of("other")));
        store.persist(session(Optional.empty()));
        assertThat(missed(store.restore("pid", Optional.of(first)))).containsExactly("b");
    }

    @Test
    void exceptedRoomsAreNotReplayed() {
        String first = keep("a", BroadcastOptions.ALL);
        keep("b", new BroadcastOptions(Set.of(), Set.of("room"), BroadcastFlags.DEFAULT));
        keep("c", BroadcastOptions.ALL);
        store.persist(session(Optional.empty()));
        assertThat(missed(store.restore("pid", Optional.of(first)))).containsExactly("c");
    }

    @Test
    void withoutAnOffsetTheSessionReplaysFromWhereItStarted() {
        keep("before", BroadcastOptions.ALL);
        Optional<String> start = store.newestOffset();
        keep("after", BroadcastOptions.ALL);
        store.persist(session(start));
        assertThat(missed(store.restore("pid", Optional.empty()))).containsExactly("after");
    }

    @Test
    void aSessionIsTakenOnceAndExpiresWithItsWindow() {
        store.persist(session(Optional.empty()));
        assertThat(store.restore("pid", Optional.empty())).isInstanceOf(SessionRestore.Restored.class);
        assertThat(store.restore("pid", Optional.empty()))
                .isEqualTo(SessionRestore.failed(RecoveryFailure.UNKNOWN_SESSION));

        store.persist(session(Optional.empty()));
        advance(Duration.ofSeconds(11));
        assertThat(store.restore("pid", Optional.empty())).isEqualTo(SessionRestore.failed(RecoveryFailure.EXPIRED));
    }

    @Test
    void packetsPastTheWindowOrTheCapMakeAnOlderOffsetFail() {
        String first = keep("a", BroadcastOptions.ALL);
        for (int i = 0; i < 3; i++) {
            keep("x" + i, BroadcastOptions.ALL);
        }
        assertThat(store.droppedByCap()).isEqualTo(1);
        store.persist(session(Optional.empty()));
        assertThat(store.restore("pid", Optional.of(first))).isInstanceOf(SessionRestore.Restored.class);
        store.persist(session(Optional.empty()));
        keep("y", BroadcastOptions.ALL);
        assertThat(store.restore("pid", Optional.of(first)))
                .isEqualTo(SessionRestore.failed(RecoveryFailure.PACKETS_LOST));

        String recent = keep("z", BroadcastOptions.ALL);
        advance(Duration.ofSeconds(11));
        keep("later", BroadcastOptions.ALL);
        store.persist(session(Optional.empty()));
        assertThat(store.restore("pid", Optional.of(recent))).isInstanceOf(SessionRestore.Restored.class);
        assertThat(store.packetCount()).isEqualTo(1);
    }

    @Test
    void offsetsOfAnotherStoreOrFromTheFutureAreUnknown() {
        RecoveryStore other = new RecoveryStore(new ConnectionStateRecovery(Duration.ofSeconds(10), true, 3), now::get);
        ArrayNode foreign = other.keep(event("a"), BroadcastOptions.ALL);
        keep("a", BroadcastOptions.ALL);
        store.persist(session(Optional.empty()));
        assertThat(store.restore("pid", Optional.of(foreign.get(1).asText())))
                .isEqualTo(SessionRestore.failed(RecoveryFailure.UNKNOWN_OFFSET));
        store.persist(session(Optional.empty()));
        String future = store.offset(99);
        assertThat(store.restore("pid", Optional.of(future)))
                .isEqualTo(SessionRestore.failed(RecoveryFailure.UNKNOWN_OFFSET));
    }

    @Test
    void theSweepReturnsExpiredSessionsAndPackets() {
        keep("a", BroadcastOptions.ALL);
        store.persist(session(Optional.empty()));
        assertThat(store.sweep()).isEqualTo(2);
        advance(Duration.ofSeconds(11));
        assertThat(store.sweep()).isZero();
    }
}
