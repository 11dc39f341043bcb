package dev.herald.bench.load;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The generator's command line: {@code --name value} pairs, read with a default each.
 *
 * <p>Every option that sizes a run has a default small enough for a quick check, and every wait
 * has a bound, so a run always stops by itself.
 */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got '" + a + "'");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt) {
        String v = values.get(name);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /** A duration in seconds, fractions allowed ({@code --duration 2.5}). */
    Duration seconds(String name, double dflt) {
        String v = values.get(name);
        try {
            double s = v == null ? dflt : Double.parseDouble(v);
            return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be seconds, got '" + v + "'");
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
