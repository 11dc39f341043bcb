package dev.herald.redis;

import java.time.Duration;

/** The checks the adapters' option builders share; each message names the option. */
final class OptionChecks {

    private OptionChecks() {}

    /** A channel prefix: non-empty, and without the {@code #} that separates the parts of a channel name. */
    static void prefix(String option, String value) {
        if (value.isEmpty() || value.contains("#")) {
            throw new IllegalArgumentException(option + " must be non-empty and without '#': " + value);
        }
    }

    /** A positive duration. */
    static void positive(String option, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive: " + value);
        }
    }

    /** The cap of the reconnect back-off: 100 ms to 60 s (python-socketio caps its back-off at 60 s too). */
    static void reconnectMaxDelay(Duration value) {
        if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("reconnectMaxDelay must be between 100 ms and 60 s: " + value);
        }
    }
}
