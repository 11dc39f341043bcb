package dev.herald.bench.load;

import java.util.SplittableRandom;

/**
 * The event argument the echo and broadcast scenarios send with {@code --payload BYTES}: a JSON
 * array of records of exactly that many bytes, with the same field names in every record and
 * values that vary, as application messages do, so that deflate finds what it finds in real
 * traffic rather than one repeated character.
 *
 * <p>A run cycles through several such arrays ({@link #variants}), all different, enough of them
 * that no message repeats within deflate's 32 KiB window: with context takeover a repeated message
 * would compress to a few bytes of back-reference, a ratio real traffic never sees. Everything is
 * drawn from a fixed seed, so every run and every server gets the same bytes.
 *
 * <p>Only integers, booleans and ASCII strings without escapes: Jackson, {@code JSON.stringify} and
 * a byte-copying server all write such a value back byte for byte, so an ack or a tick can be
 * checked against what was sent.
 */
final class Payload {
    /** The smallest size {@link #json} can fill exactly: {@code [{"text":""}]} plus a little. */
    static final int MIN_BYTES = 16;

    private static final int WINDOW = 32 * 1024;
    private static final long SEED = 20261203L;
    private static final String[] NAMES = {
        "ada", "bruno", "chen", "dara", "emeka", "fatima", "goran", "hana", "ines", "jonas", "kofi", "lena"
    };
    private static final String[] ROOMS = {"lobby", "support", "game-1", "game-2", "ops", "random"};
    private static final String[] WORDS = {
        "the", "build", "is", "green", "again", "after", "we", "moved", "cache", "to", "a", "new", "disk", "who", "has",
        "review", "on", "monday", "ship", "it", "tonight", "please", "check", "logs", "for", "errors", "ok"
    };
    private static final String FINAL = "{\"text\":\"";

    private Payload() {}

    /**
     * Enough different payloads of {@code bytes} each to fill two deflate windows (at least 4),
     * from the fixed seed.
     */
    static String[] variants(int bytes) {
        if (bytes < MIN_BYTES) {
            throw new IllegalArgumentException("--payload must be at least " + MIN_BYTES + " bytes, got " + bytes);
        }
        int n = Math.max(4, Math.min(4096, 2 * WINDOW / bytes + 1));
        SplittableRandom random = new SplittableRandom(SEED);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = json(bytes, random);
        }
        return out;
    }

    /**
     * One JSON array of exactly {@code bytes} ASCII bytes: whole records while they fit, then one
     * {@code {"text":"..."}} cut to the bytes that are left.
     */
    static String json(int bytes, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(bytes).append('[');
        String record = record(random);
        // Room is kept for the comma, the closing record and the closing bracket.
        while (sb.length() + record.length() + 1 + FINAL.length() + 2 + 1 <= bytes) {
            sb.append(record).append(',');
            record = record(random);
        }
        sb.append(FINAL);
        int textLength = bytes - sb.length() - 3;
        StringBuilder text = new StringBuilder(textLength + 16);
        while (text.length() < textLength) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        sb.append(text, 0, textLength).append("\"}]");
        return sb.toString();
    }

    private static String record(SplittableRandom random) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"id\":")
                .append(random.nextInt(1_000_000))
                .append(",\"user\":\"")
                .append(NAMES[random.nextInt(NAMES.length)])
                .append(random.nextInt(100))
                .append("\",\"room\":\"")
                .append(ROOMS[random.nextInt(ROOMS.length)])
                .append("\",\"score\":")
                .append(random.nextInt(10_000))
                .append(",\"online\":")
                .append(random.nextBoolean())
                .append(",\"ts\":")
                .append(1_764_720_000_000L + random.nextInt(86_400_000))
                .append(",\"text\":\"");
        int words = 2 + random.nextInt(6);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.append("\"}").toString();
    }
}
