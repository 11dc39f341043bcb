package dev.herald.engineio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Headers that HTTP hooks add to the answer of one Engine.IO request (Node's {@code res.setHeader}
 * in a middleware, or the object of the {@code headers}/{@code initial_headers} events). Names are
 * case-insensitive and keep the case they were first given in; names and values are checked, so
 * a hook cannot split the response with a line break.
 *
 * <p>Threading: not thread-safe; one instance belongs to the one request whose hooks fill it.
 */
public final class ResponseHeaders {

    // Lower-case name -> (name as first given, values); owned by the thread running the hooks.
    private final Map<String, Map.Entry<String, List<String>>> headers = new LinkedHashMap<>();

    /** An empty set. */
    public ResponseHeaders() {}

    /** Sets a header, replacing any values it had. */
    public ResponseHeaders set(String name, String value) {
        check(name, value);
        headers.put(key(name), Map.entry(name, new ArrayList<>(List.of(value))));
        return this;
    }

    /** Adds a value to a header (such as a second {@code Set-Cookie}). */
    public ResponseHeaders add(String name, String value) {
        check(name, value);
        headers.computeIfAbsent(key(name), k -> Map.entry(name, new ArrayList<>()))
                .getValue()
                .add(value);
        return this;
    }

    /** Removes a header. */
    public ResponseHeaders remove(String name) {
        headers.remove(key(Objects.requireNonNull(name, "name")));
        return this;
    }

    /** The first value of a header. */
    public Optional<String> get(String name) {
        Map.Entry<String, List<String>> e = headers.get(key(Objects.requireNonNull(name, "name")));
        return e == null || e.getValue().isEmpty()
                ? Optional.empty()
                : Optional.of(e.getValue().get(0));
    }

    /** Every value of a header. */
    public List<String> all(String name) {
        Map.Entry<String, List<String>> e = headers.get(key(Objects.requireNonNull(name, "name")));
        return e == null ? List.of() : List.copyOf(e.getValue());
    }

    /** Whether no header was set. */
    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** An immutable copy: each name (in the case first given) with its values, in insertion order. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.values().forEach(e -> out.put(e.getKey(), List.copyOf(e.getValue())));
        return Collections.unmodifiableMap(out);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static void check(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("header name has a character HTTP forbids: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                // The value is not echoed: it may carry a token.
                throw new IllegalArgumentException("value of header " + name + " has a line break or NUL");
            }
        }
    }
}
