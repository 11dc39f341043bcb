package dev.herald.engineio.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Runs one decoder call under the fuzzing rules: it returns or throws the protocol's own
 * exception, within a timeout, allocating no more than a bound; and builds the mutated seed inputs.
 * Shared with herald-socketio's fuzz tests through this module's test-jar.
 */
public final class FuzzHarness {

    /** A decoder call never takes this long; a hang fails the try. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    // One daemon thread runs every call, so a hang is detected and the allocation is measured there.
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-decoder");
        t.setDaemon(true);
        return t;
    });

    private FuzzHarness() {}

    /** What a call produced: its value, or the allowed exception. */
    public record Outcome<T>(T value, Exception refused, long allocated) {
        public boolean decoded() {
            return refused == null;
        }
    }

    /**
     * Runs {@code call}: the only allowed failure is {@code allowed}; the call may allocate at most
     * {@code maxAllocation} bytes.
     */
    public static <T> Outcome<T> run(Callable<T> call, Class<? extends Exception> allowed, long maxAllocation) {
        Future<Outcome<T>> f = RUNNER.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            T value = null;
            Exception refused = null;
            try {
                value = call.call();
            } catch (Exception e) {
                if (!allowed.isInstance(e)) {
                    throw e;
                }
                refused = e;
            }
            return new Outcome<>(value, refused, THREADS.getCurrentThreadAllocatedBytes() - before);
        });
        Outcome<T> outcome;
        try {
            outcome = f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail("decoder did not return within " + TIMEOUT);
        } catch (ExecutionException e) {
            throw new AssertionError(
                    "decoder threw " + e.getCause() + ", not " + allowed.getSimpleName(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(outcome.allocated()).as("bytes allocated by one decode").isLessThanOrEqualTo(maxAllocation);
        return outcome;
    }

    /** The allocation bound for decoding an input of that many chars or bytes: a few copies of it. */
    public static long bound(int inputLength) {
        return 256 * 1024 + 16L * inputLength;
    }

    // ---------------------------------------------------------------- seeds and mutations

    /** One seed a line; {@code \n}, {@code \r} and {@code \u001e} spelled out are unescaped. */
    public static List<String> textSeeds(String resource) {
        List<String> out = new ArrayList<>();
        for (String line : lines(resource)) {
            out.add(line.replace("\\u001e", "\u001e").replace("\\n", "\n").replace("\\r", "\r"));
        }
        return out;
    }

    /** One hex-encoded seed a line. */
    public static List<byte[]> hexSeeds(String resource) {
        List<byte[]> out = new ArrayList<>();
        for (String line : lines(resource)) {
            out.add(HexFormat.of().parseHex(line.trim()));
        }
        return out;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = FuzzHarness.class.getResourceAsStream("/fuzz/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing seed corpus /fuzz/" + resource);
            }
            List<String> out = new ArrayList<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(l -> !l.isEmpty())
                    .forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Characters a decoder cares about, plus anything. */
    public static Arbitrary<Character> interestingChars() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        '0', '1', '2', '3', '4', '5', '6', '9', 'b', ':', '-', '/', ',', '[', ']', '{', '}', '"',
                        '\u001e', '\n', '=', '+', '€', '\uD83D', '\uDE00', '\u0000', '\uFFFF'),
                Arbitraries.chars());
    }

    /** Strings of up to {@code max} {@link #interestingChars()}. */
    public static Arbitrary<String> interestingStrings(int max) {
        return interestingChars().list().ofMaxSize(max).map(cs -> {
            StringBuilder sb = new StringBuilder(cs.size());
            cs.forEach(sb::append);
            return sb.toString();
        });
    }

    /** A seed with 1 to 8 random edits: insert, delete, replace, duplicate a run, cut, or a huge number. */
    public static Arbitrary<String> mutated(List<String> seeds) {
        Arbitrary<String> seed = Arbitraries.of(seeds);
        return seed.flatMap(s -> mutation().list().ofMinSize(1).ofMaxSize(8).map(ms -> {
            String out = s;
            for (Mutation m : ms) {
                out = m.apply(out);
            }
            return out;
        }));
    }

    /** Bytes of a seed with 1 to 8 random byte edits. */
    public static Arbitrary<byte[]> mutatedBytes(List<byte[]> seeds) {
        return mutated(seeds.stream()
                        .map(b -> new String(b, StandardCharsets.ISO_8859_1))
                        .toList())
                .map(s -> {
                    byte[] out = new byte[s.length()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (byte) s.charAt(i);
                    }
                    return out;
                });
    }

    @FunctionalInterface
    interface Mutation {
        String apply(String s);
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Mutation> insert = Combinators.combine(pos, interestingChars())
                .as((p, c) -> s -> {
                    int i = p % (s.length() + 1);
                    return s.substring(0, i) + c + s.substring(i);
                });
        Arbitrary<Mutation> delete = pos.map(p -> s -> {
            if (s.isEmpty()) {
                return s;
            }
            int i = p % s.length();
            return s.substring(0, i) + s.substring(i + 1);
        });
        Arbitrary<Mutation> replace = Combinators.combine(pos, interestingChars())
                .as((p, c) -> s -> {
                    if (s.isEmpty()) {
                        return s;
                    }
                    int i = p % s.length();
                    return s.substring(0, i) + c + s.substring(i + 1);
                });
        Arbitrary<Mutation> duplicate = Combinators.combine(pos, pos).as((p, q) -> s -> {
            if (s.isEmpty()) {
                return s;
            }
            int a = p % s.length();
            int b = a + q % (s.length() - a + 1);
            return s.substring(0, b) + s.substring(a, b) + s.substring(b);
        });
        Arbitrary<Mutation> cut = pos.map(p -> s -> s.substring(0, p % (s.length() + 1)));
        Arbitrary<Mutation> hugeNumber = Combinators.combine(
                        pos,
                        Arbitraries.of(
                                "1000000000", "2147483647", "2147483648", "9999999999999999999", "-1", "00000000001"))
                .as((p, n) -> s -> {
                    int i = p % (s.length() + 1);
                    return s.substring(0, i) + n + s.substring(i);
                });
        return Arbitraries.oneOf(insert, delete, replace, duplicate, cut, hugeNumber);
    }
}
