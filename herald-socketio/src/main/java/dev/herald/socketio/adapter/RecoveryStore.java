package dev.herald.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.socketio.ConnectionStateRecovery;
import dev.herald.socketio.RecoveryFailure;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One namespace's memory for connection state recovery, as socket.io-adapter's
 * {@code SessionAwareAdapter}: the recoverable packets of the last {@code maxDisconnectionDuration}
 * (at most {@code maxPackets}) with the options they were broadcast with, and the sessions of
 * disconnected sockets.
 *
 * <p>Offsets are {@code <epoch>.<sequence>}: the epoch is random per store, so an offset from an
 * earlier process or another node is recognised as unknown instead of being mistaken for one of
 * ours; the sequence orders packets, so "everything after the offset" is exact even when the
 * offset's own packet has been dropped.
 *
 * <p>Threading: every method takes the store's lock. {@link InMemoryAdapter} also holds it while it
 * delivers a recoverable packet and while it admits a socket, which is what makes replay and live
 * delivery meet without gap or overlap.
 */
final class RecoveryStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Kept(long seq, ArrayNode data, BroadcastOptions opts, long emittedAt) {}

    private record Disconnected(PersistedSession session, long disconnectedAt) {}

    private final ConnectionStateRecovery config;
    private final LongSupplier nanoClock;
    private final String epoch;
    private final long windowNanos;

    // Guarded by `this`.
    private final ArrayDeque<Kept> packets = new ArrayDeque<>();
    private final Map<String, Disconnected> sessions = new HashMap<>();
    private long lastSeq;
    // The newest sequence no longer kept: an offset older than it has missed packets we lost.
    private long droppedThrough;
    // Any thread: packets dropped by the cap while still inside the window.
    private final AtomicLong droppedByCap = new AtomicLong();

    RecoveryStore(ConnectionStateRecovery config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.windowNanos = config.maxDisconnectionDuration().toNanos();
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        this.epoch = Long.toString(Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt()), 36);
    }

    ConnectionStateRecovery config() {
        return config;
    }

    /**
     * Keeps a packet: returns a copy of its data with a new offset appended as the last argument,
     * which is what every recipient is sent (the official client takes a string last argument as
     * its offset while it holds a session id).
     */
    synchronized ArrayNode keep(ArrayNode data, BroadcastOptions opts) {
        long now = nanoClock.getAsLong();
        long seq = ++lastSeq;
        ArrayNode withOffset = data.arrayNode(data.size() + 1).addAll(data).add(offset(seq));
        packets.addLast(new Kept(seq, withOffset, opts, now));
        while (packets.size() > config.maxPackets()) {
            droppedThrough = packets.removeFirst().seq();
            droppedByCap.incrementAndGet();
        }
        expirePackets(now);
        return withOffset;
    }

    String offset(long seq) {
        return epoch + "." + Long.toString(seq, 36);
    }

    /** The offset of the newest packet kept, if any was ever kept. */
    synchronized Optional<String> newestOffset() {
        return lastSeq == 0 ? Optional.empty() : Optional.of(offset(lastSeq));
    }

    synchronized void persist(PersistedSession session) {
        sessions.put(session.pid(), new Disconnected(session, nanoClock.getAsLong()));
    }

    synchronized SessionRestore restore(String pid, Optional<String> clientOffset) {
        Disconnected d = sessions.remove(pid);
        if (d == null) {
            return SessionRestore.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        if (nanoClock.getAsLong() - d.disconnectedAt() > windowNanos) {
            return SessionRestore.failed(RecoveryFailure.EXPIRED);
        }
        Optional<String> from =
                clientOffset.isPresent() ? clientOffset : d.session().startOffset();
        if (from.isPresent()) {
            long seq = parse(from.get());
            if (seq < 0 || seq > lastSeq) {
                return SessionRestore.failed(RecoveryFailure.UNKNOWN_OFFSET);
            }
            if (seq < droppedThrough) {
                return SessionRestore.failed(RecoveryFailure.PACKETS_LOST);
            }
        } else if (droppedThrough > 0) {
            // The session began before anything was kept, and some of what followed is gone.
            return SessionRestore.failed(RecoveryFailure.PACKETS_LOST);
        }
        return new SessionRestore.Restored(d.session(), from);
    }

    /** The kept packets after the offset that a socket in these rooms would have received, in order. */
    synchronized List<ArrayNode> missed(Optional<String> after, Set<String> rooms) {
        long from = after.map(RecoveryStore::parseSeqUnchecked).orElse(0L);
        List<ArrayNode> out = new ArrayList<>();
        for (Kept k : packets) {
            if (k.seq() > from && k.opts().reaches(rooms)) {
                out.add(k.data());
            }
        }
        return out;
    }

    /** Drops what the window no longer covers; returns how many sessions and packets remain. */
    synchronized int sweep() {
        long now = nanoClock.getAsLong();
        expirePackets(now);
        sessions.values().removeIf(d -> now - d.disconnectedAt() > windowNanos);
        return sessions.size() + packets.size();
    }

    synchronized int sessionCount() {
        return sessions.size();
    }

    synchronized int packetCount() {
        return packets.size();
    }

    long droppedByCap() {
        return droppedByCap.get();
    }

    private void expirePackets(long now) {
        Iterator<Kept> it = packets.iterator();
        while (it.hasNext()) {
            Kept k = it.next();
            if (now - k.emittedAt() <= windowNanos) {
                break;
            }
            droppedThrough = k.seq();
            it.remove();
        }
    }

    /** The sequence of one of our offsets, or -1 for anything else. */
    private long parse(String offset) {
        int dot = offset.indexOf('.');
        if (dot < 0 || !offset.regionMatches(0, epoch, 0, dot) || dot != epoch.length()) {
            return -1;
        }
        return parseSeqUnchecked(offset);
    }

    private static long parseSeqUnchecked(String offset) {
        try {
            return Long.parseLong(offset.substring(offset.indexOf('.') + 1), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
