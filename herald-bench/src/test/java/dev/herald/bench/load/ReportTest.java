package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Map<String, Object> echo(String server, double acks, boolean saturated) {
        return FlatJson.parse(new JsonLine()
                .put("scenario", "echo")
                .put("label", server)
                .put("clients", 100)
                .put("pipeline", 1)
                .put("acks_per_s", acks, 1)
                .put("p50_us", 100.0, 1)
                .put("p99_us", 200.0, 1)
                .put("p999_us", 300.0, 1)
                .put("saturated", saturated)
                .put("ok", true)
                .toString());
    }

    @Test
    void cellIsTheMedianWithMinAndMaxAndRatiosToNodeAndRaw() {
        String md = Report.markdown(
                List.of(
                        echo("node", 1000, false),
                        echo("node", 3000, false),
                        echo("node", 2000, false),
                        echo("raw", 8000, false),
                        echo("herald", 4000, false)),
                List.of("herald", "raw", "node"));

        assertThat(md).contains("### echo: 100 clients × pipeline 1");
        assertThat(md).contains("| node | 3 | 2 000 (1 000–3 000) ·0.25×R |");
        assertThat(md).contains("| herald | 1 | 4 000 ·2.00×N ·0.50×R |");
        assertThat(md.indexOf("| herald")).isLessThan(md.indexOf("| raw"));
    }

    @Test
    void aRunWithASaturatedGeneratorIsRefused() {
        String md = Report.markdown(List.of(echo("raw", 9000, true), echo("node", 2000, false)), List.of());

        assertThat(md).contains("| raw | 1, 1 saturated | — | — | — | — |");
        assertThat(md).contains("| node | 1 | 2 000 |");
    }

    @Test
    void idleMemoryIsKeptFromASaturatedRunButItsSetupRateIsNot() {
        Map<String, Object> idle = FlatJson.parse(new JsonLine()
                .put("scenario", "idle")
                .put("label", "raw")
                .put("clients", 1000)
                .put("bytes_per_conn", 5000.0, 0)
                .put("heap_bytes_per_conn", 2500.0, 0)
                .put("connects_per_s", 900.0, 1)
                .put("saturated", true)
                .put("ok", true)
                .toString());

        String md = Report.markdown(List.of(idle), List.of());

        assertThat(md).contains("| raw | 1, 1 saturated | 5 000 | 2 500 | — |");
    }

    @Test
    void stormKeepsConnectsPerServerCpuSecondFromASaturatedRun() {
        Map<String, Object> storm = FlatJson.parse(new JsonLine()
                .put("scenario", "storm")
                .put("label", "herald")
                .put("clients", 1000)
                .put("transport", "websocket")
                .put("connects_per_s", 1100.0, 1)
                .put("connects_per_server_cpu_s", 1200.0, 1)
                .put("saturated", true)
                .put("ok", true)
                .toString());

        String md = Report.markdown(List.of(storm), List.of());

        assertThat(md).contains("| herald | 1, 1 saturated | — | 1 200 |");
    }

    @Test
    void aFailedRunCountsButGivesNoNumber() {
        Map<String, Object> failed =
                FlatJson.parse("{\"scenario\":\"storm\",\"label\":\"node\",\"clients\":10,\"transport\":\"polling\","
                        + "\"connects_per_s\":5.0,\"ok\":false}");

        assertThat(Report.markdown(List.of(failed), List.of())).contains("| node | 1, 1 failed | — | — |");
    }

    private static Map<String, Object> deflate(String server, double cpu, double in) {
        return FlatJson.parse(new JsonLine()
                .put("scenario", "broadcast")
                .put("label", server)
                .put("clients", 2000)
                .put("rounds", 20)
                .put("payload_bytes", 2048)
                .put("server_cpu_us_per_delivery", cpu, 2)
                .put("wire_bytes_in_per_msg", in, 1)
                .put("saturated", true)
                .put("ok", true)
                .toString());
    }

    @Test
    void aDeflateRunIsComparedWithTheSameServerWithoutAndWithTheReferenceWithDeflate() {
        String md = Report.markdown(
                List.of(
                        deflate("node+deflate", 30, 500),
                        deflate("herald+deflate", 20, 400),
                        deflate("node", 10, 2000),
                        deflate("herald", 5, 2000)),
                List.of("herald", "node"));

        assertThat(md).contains("### broadcast: 2000 receivers, 20 rounds, 2048 B payload");
        // first p50/p99, last p50/p99, deliveries/s (refused: saturated), CPU, wire in, wire out (none)
        assertThat(md).contains("| herald | 1, 1 saturated | — | — | — | — | — | 5.00 ·0.50×N | 2 000 ·1.00×N | — |");
        assertThat(md)
                .contains(
                        "| herald+deflate | 1, 1 saturated | — | — | — | — | — | 20.0 ·0.67×N ·4.00×off | 400 ·0.80×N ·0.20×off | — |");
        assertThat(md)
                .contains("| node+deflate | 1, 1 saturated | — | — | — | — | — | 30.0 ·3.00×off | 500 ·0.25×off | — |");
        assertThat(md.indexOf("| herald |")).isLessThan(md.indexOf("| herald+deflate |"));
        assertThat(md.indexOf("| herald+deflate |")).isLessThan(md.indexOf("| node |"));
        assertThat(md.indexOf("| node |")).isLessThan(md.indexOf("| node+deflate |"));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Report.median(new double[] {1, 2, 4, 10})).isEqualTo(3.0);
    }

    private static Map<String, Object> jitter(String server, double delivered, boolean saturated) {
        return FlatJson.parse(new JsonLine()
                .put("scenario", "jitter")
                .put("label", server)
                .put("clients", 200)
                .put("tick_ms", 20.0, 1)
                .put("duration_s", 60.0, 1)
                .put("drop_s", "1.5-4.0")
                .put("delivered_pct", delivered, 3)
                .put("lost", 7)
                .put("duplicates", 0)
                .put("reordered", 0)
                .put("reconnects", 3767)
                .put("recovered_pct", 99.97, 2)
                .put("unrecovered", 1)
                .put("replay_p99_ms", 347.0, 2)
                .put("rss_bytes_per_session", 2019.0, 0)
                .put("saturated", saturated)
                .put("ok", true)
                .toString());
    }

    @Test
    void jitterKeepsDeliveryFromASaturatedRunButNotItsReplayLatency() {
        String md = Report.markdown(List.of(jitter("herald", 99.999, true)), List.of());

        assertThat(md)
                .contains(
                        "### jitter: 200 receivers, a tick every 20 ms for 60 s, each transport dropped every 1.5-4.0 s");
        // delivered %, lost, duplicates, reordered, reconnects, recovered %, not recovered, replay p99,
        // heap (none: not a JVM reading), RSS
        assertThat(md)
                .contains(
                        "| herald | 1, 1 saturated | 100.0 | 7.00 | 0.00 | 0.00 | 3 767 | 100.0 | 1.00 | — | — | 2 019 |");
    }
}
