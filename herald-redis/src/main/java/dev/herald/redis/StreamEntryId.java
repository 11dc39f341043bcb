package dev.herald.redis;

/** A stream entry id, ordered as Redis orders them. */
record StreamEntryId(long ms, long seq) implements Comparable<StreamEntryId> {
    static final StreamEntryId ZERO = new StreamEntryId(0, 0);

    static StreamEntryId parse(String id) {
        int dash = id.indexOf('-');
        return new StreamEntryId(
                Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    StreamEntryId next() {
        return new StreamEntryId(ms, seq + 1);
    }

    @Override
    public int compareTo(StreamEntryId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
