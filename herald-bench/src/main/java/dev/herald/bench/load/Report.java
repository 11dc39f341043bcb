package dev.herald.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the generator's JSON lines into the markdown tables of {@code run.sh}: per scenario
 * variant, one row per server with the median and the min–max of each metric over the
 * repetitions, and its ratio to Node's and to raw Netty's median. A label with a suffix
 * ({@code herald+deflate}) is the same server run another way: its ratios are to the references
 * run the same way ({@code node+deflate}), and {@code ×off} is its ratio to the plain label's.
 *
 * <p>A run where the generator was saturated, or that did not complete ({@code "ok": false}), is
 * refused: it counts in the runs column but not in any number. The one exception is memory per
 * idle connection, which the generator's speed cannot change: it is kept from a saturated run.
 *
 * <p>Usage: {@code Report results.jsonl [--servers raw,node,...]} prints the markdown to stdout.
 */
public final class Report {
    /** A number the table shows: JSON key, column title, and whether the generator's speed shapes it. */
    record Metric(String key, String title, boolean generatorBound) {}

    private static final Map<String, List<Metric>> METRICS = Map.of(
            "idle",
                    List.of(
                            new Metric("bytes_per_conn", "server RSS / conn (B)", false),
                            new Metric("heap_bytes_per_conn", "live heap / conn (B)", false),
                            new Metric("connects_per_s", "setup (conn/s)", true)),
            "echo",
                    List.of(
                            new Metric("acks_per_s", "acks/s", true),
                            new Metric("p50_us", "p50 (µs)", true),
                            new Metric("p99_us", "p99 (µs)", true),
                            new Metric("p999_us", "p99.9 (µs)", true),
                            // What one message costs does not depend on how fast they came.
                            new Metric("server_cpu_us_per_ack", "server CPU µs/ack", false),
                            new Metric("wire_bytes_in_per_msg", "wire B in/ack", false),
                            new Metric("wire_bytes_out_per_msg", "wire B out/ack", false)),
            "broadcast",
                    List.of(
                            new Metric("first_p50_ms", "first p50 (ms)", true),
                            new Metric("first_p99_ms", "first p99 (ms)", true),
                            new Metric("last_p50_ms", "last p50 (ms)", true),
                            new Metric("last_p99_ms", "last p99 (ms)", true),
                            new Metric("deliveries_per_s", "deliveries/s", true),
                            new Metric("server_cpu_us_per_delivery", "server CPU µs/delivery", false),
                            new Metric("wire_bytes_in_per_msg", "wire B in/delivery", false),
                            new Metric("wire_bytes_out_per_msg", "wire B out/delivery", false)),
            "storm",
                    List.of(
                            new Metric("connects_per_s", "connects/s", true),
                            // Server CPU per connect: the generator's speed does not change it.
                            new Metric("connects_per_server_cpu_s", "connects per server CPU-s", false)),
            // Delivery does not depend on the generator's speed; how fast a replay arrives does.
            "jitter",
                    List.of(
                            new Metric("delivered_pct", "delivered %", false),
                            new Metric("lost", "lost", false),
                            new Metric("duplicates", "duplicates", false),
                            new Metric("reordered", "reordered", false),
                            new Metric("reconnects", "reconnects", false),
                            new Metric("recovered_pct", "recovered %", false),
                            new Metric("unrecovered", "not recovered", false),
                            new Metric("replay_p99_ms", "replay p99 (ms)", true),
                            new Metric("heap_bytes_per_session", "heap / parked session (B)", false),
                            new Metric("rss_bytes_per_session", "RSS / parked session (B)", false)));

    private static final List<String> SCENARIOS = List.of("idle", "echo", "broadcast", "storm", "jitter");

    private Report() {}

    /** Prints the report of the JSON lines in {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Report results.jsonl [--servers a,b,c]");
            System.exit(2);
        }
        List<String> order = args.length >= 3 && args[1].equals("--servers") ? List.of(args[2].split(",")) : List.of();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.startsWith("{")) {
                runs.add(FlatJson.parse(line));
            }
        }
        System.out.print(markdown(runs, order));
    }

    /** The whole report: one table per scenario variant, in a fixed scenario order. */
    static String markdown(List<Map<String, Object>> runs, List<String> serverOrder) {
        Map<String, Map<String, List<Map<String, Object>>>> byVariant = new LinkedHashMap<>();
        List<Map<String, Object>> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) ->
                Integer.compare(SCENARIOS.indexOf(str(a, "scenario")), SCENARIOS.indexOf(str(b, "scenario"))));
        for (Map<String, Object> run : sorted) {
            if (!METRICS.containsKey(str(run, "scenario"))) {
                continue;
            }
            byVariant
                    .computeIfAbsent(variant(run), k -> new LinkedHashMap<>())
                    .computeIfAbsent(str(run, "label"), k -> new ArrayList<>())
                    .add(run);
        }
        StringBuilder md = new StringBuilder();
        for (var entry : byVariant.entrySet()) {
            Map<String, List<Map<String, Object>>> servers = entry.getValue();
            String scenario = str(servers.values().iterator().next().get(0), "scenario");
            List<Metric> metrics = METRICS.get(scenario);
            md.append("\n### ").append(entry.getKey()).append("\n\n| server | runs |");
            for (Metric m : metrics) {
                md.append(' ').append(m.title()).append(" |");
            }
            md.append("\n|---|---|").append("---|".repeat(metrics.size())).append('\n');
            List<String> names = new ArrayList<>(servers.keySet());
            names.sort((a, b) -> Integer.compare(rank(serverOrder, a), rank(serverOrder, b)));
            for (String server : names) {
                List<Map<String, Object>> all = servers.get(server);
                md.append("| ")
                        .append(server)
                        .append(" | ")
                        .append(runsCell(all))
                        .append(" |");
                for (Metric m : metrics) {
                    double[] v = values(all, m);
                    md.append(' ')
                            .append(v.length == 0 ? "—" : cell(v, servers, m, server))
                            .append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\nCells: median (min–max) over the kept runs; ×N, ×R and ×B: this server's median "
                + "over Node's, raw Netty's, and raw Netty's with one flush per read (echo only). A run is "
                + "refused when the generator was saturated (≥ 90 % of its core) or did not complete; "
                + "memory per idle connection (RSS, and live heap for JVM servers) and connects per server "
                + "CPU-second (connects/s over the server's CPU share) are kept from a saturated run, "
                + "since the generator's speed does not change them. Load: the machine's median "
                + "one-minute load average at the end of the runs; on 2 CPUs, above 2 means other work "
                + "shared the cores. Server CPU per ack or delivery: the server's CPU time over the "
                + "measured part over the acks or deliveries in it (kept from a saturated run too); wire B "
                + "in/out: the TCP payload the clients read/wrote in that part, per ack or delivery. A "
                + "label such as herald+deflate is that server with permessage-deflate negotiated: its ×N, "
                + "×R and ×B are against node+deflate and so on, and ×off is its median over the same "
                + "server's without deflate.\n");
        return md.toString();
    }

    private static String cell(double[] v, Map<String, List<Map<String, Object>>> servers, Metric m, String server) {
        double median = median(v);
        StringBuilder c = new StringBuilder(num(median));
        if (v.length > 1) {
            c.append(" (")
                    .append(num(v[0]))
                    .append('–')
                    .append(num(v[v.length - 1]))
                    .append(')');
        }
        int plus = server.indexOf('+');
        String way = plus < 0 ? "" : server.substring(plus);
        for (String[] ref : new String[][] {{"node", "N"}, {"raw", "R"}, {"raw-batched", "B"}}) {
            ratio(c, median, servers.get(ref[0] + way), m, server.equals(ref[0] + way), ref[1]);
        }
        if (plus > 0) {
            ratio(c, median, servers.get(server.substring(0, plus)), m, false, "off");
        }
        return c.toString();
    }

    /** Appends {@code ·<median over the reference's>×<tag>}, when the reference has a non-zero median. */
    private static void ratio(
            StringBuilder c, double median, List<Map<String, Object>> refRuns, Metric m, boolean self, String tag) {
        if (refRuns == null || self) {
            return;
        }
        double[] r = values(refRuns, m);
        if (r.length > 0 && median(r) != 0) {
            c.append(String.format(Locale.ROOT, " ·%.2f×%s", median / median(r), tag));
        }
    }

    /** The sorted values of a metric over the runs kept for it. */
    static double[] values(List<Map<String, Object>> runs, Metric m) {
        return runs.stream()
                .filter(r -> Boolean.TRUE.equals(r.get("ok")))
                .filter(r -> !m.generatorBound() || !Boolean.TRUE.equals(r.get("saturated")))
                .map(r -> r.get(m.key()))
                .filter(Number.class::isInstance)
                .mapToDouble(x -> ((Number) x).doubleValue())
                .sorted()
                .toArray();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String runsCell(List<Map<String, Object>> runs) {
        long saturated = runs.stream()
                .filter(r -> Boolean.TRUE.equals(r.get("saturated")))
                .count();
        long failed =
                runs.stream().filter(r -> !Boolean.TRUE.equals(r.get("ok"))).count();
        String cell = Integer.toString(runs.size());
        double[] load = runs.stream()
                .map(r -> r.get("loadavg"))
                .filter(Number.class::isInstance)
                .mapToDouble(x -> ((Number) x).doubleValue())
                .sorted()
                .toArray();
        if (load.length > 0) {
            cell += String.format(Locale.ROOT, " (load %.1f)", median(load));
        }
        if (saturated > 0) {
            cell += ", " + saturated + " saturated";
        }
        if (failed > 0) {
            cell += ", " + failed + " failed";
        }
        return cell;
    }

    /** The title of a table: the scenario and the parameters that change its numbers. */
    static String variant(Map<String, Object> run) {
        String scenario = str(run, "scenario");
        String clients = str(run, "clients");
        String payload = run.containsKey("payload_bytes") ? ", " + str(run, "payload_bytes") + " B payload" : "";
        return switch (scenario) {
            case "echo" ->
                "echo: " + clients + " clients × pipeline " + str(run, "pipeline") + payload
                        + ("polling".equals(run.get("transport")) ? ", upgraded from polling" : "");
            case "storm" -> "storm: " + clients + " connects over " + str(run, "transport");
            case "broadcast" -> "broadcast: " + clients + " receivers, " + str(run, "rounds") + " rounds" + payload;
            case "jitter" ->
                "jitter: " + clients + " receivers, a tick every " + str(run, "tick_ms")
                        + " ms for " + str(run, "duration_s") + " s, each transport dropped every "
                        + str(run, "drop_s") + " s";
            default -> scenario + ": " + clients + " connections";
        };
    }

    /** The server's place in {@code order}; {@code herald+deflate} right after {@code herald}. */
    private static int rank(List<String> order, String server) {
        int plus = server.indexOf('+');
        int i = order.indexOf(plus < 0 ? server : server.substring(0, plus));
        return 2 * (i < 0 ? order.size() : i) + (plus < 0 ? 0 : 1);
    }

    private static String str(Map<String, Object> run, String key) {
        Object v = run.get(key);
        if (v instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    /** About three significant digits for small numbers; big ones whole, thousands spaced. */
    static String num(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,d", Math.round(v)).replace(',', ' ');
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
