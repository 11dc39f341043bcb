package dev.herald.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** One flat JSON object, written on one line: the generator's whole output for a run. */
final class JsonLine {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    JsonLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Puts a double rounded to {@code decimals} places. */
    JsonLine put(String key, double value, int decimals) {
        double scale = Math.pow(10, decimals);
        fields.put(key, Double.isFinite(value) ? Math.round(value * scale) / scale : null);
        return this;
    }

    boolean has(String key) {
        return fields.containsKey(key);
    }

    Object get(String key) {
        return fields.get(key);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                quote(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
