package dev.herald.bench.load;

import java.util.BitSet;

/**
 * What one receiver of a numbered broadcast got: which numbers (1, 2, 3, …), how many twice, and
 * how many after a higher one. Pure bookkeeping, no clock and no I/O, so that the jitter
 * scenario's counts can be tested on their own.
 *
 * <p>Not thread-safe: owned by the generator's event loop.
 */
final class SeqLedger {
    /** How one arrival counted. */
    enum Arrival {
        /** Not seen before, and higher than everything seen before. */
        IN_ORDER,
        /** Not seen before, but after a higher number. */
        REORDERED,
        /** Seen before. */
        DUPLICATE
    }

    private final BitSet seen = new BitSet();
    private int max;
    private long distinct;
    private long duplicates;
    private long reordered;

    /** Counts the arrival of number {@code seq} (1 or more). */
    Arrival record(int seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("numbers start at 1, got " + seq);
        }
        if (seen.get(seq)) {
            duplicates++;
            return Arrival.DUPLICATE;
        }
        seen.set(seq);
        distinct++;
        if (seq < max) {
            reordered++;
            return Arrival.REORDERED;
        }
        max = seq;
        return Arrival.IN_ORDER;
    }

    boolean has(int seq) {
        return seq >= 1 && seen.get(seq);
    }

    /** The highest number received, 0 before any. */
    int max() {
        return max;
    }

    /** Different numbers received. */
    long distinct() {
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }

    long reordered() {
        return reordered;
    }

    /** How many of 1..{@code last} never arrived. */
    long missingThrough(int last) {
        return last < 1 ? 0 : last - seen.get(1, last + 1).cardinality();
    }

    /** The missing numbers of 1..{@code last} as ranges, {@code "4-6,9"}, at most {@code limit} of them. */
    String missingRanges(int last, int limit) {
        StringBuilder sb = new StringBuilder();
        int ranges = 0;
        int from = seen.nextClearBit(1);
        while (from <= last && ranges < limit) {
            int to = Math.min(seen.nextSetBit(from) < 0 ? last + 1 : seen.nextSetBit(from), last + 1) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(from);
            if (to > from) {
                sb.append('-').append(to);
            }
            ranges++;
            from = seen.nextClearBit(to + 1);
        }
        return sb.toString();
    }
}
