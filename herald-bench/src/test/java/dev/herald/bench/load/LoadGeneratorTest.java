package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.BenchServer;
import dev.herald.bench.servers.RawNettyServer;
import dev.herald.netty.NettyServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every scenario, small and short, against two servers in this JVM: the raw Netty reference
 * server and Herald's bench app. The generator speaks the protocol they answer, counts what it
 * should, and stops by itself. (The raw server has no polling, so the polling storm runs against
 * Herald only; run.sh also runs it against Node and netty-socketio.)
 */
class LoadGeneratorTest {
    private static RawNettyServer raw;
    private static NettyServer herald;
    private static NettyServer heraldRecovering;

    @BeforeAll
    static void startServers() throws InterruptedException {
        raw = RawNettyServer.start(0);
        herald = BenchServer.start(0);
        heraldRecovering = BenchServer.start(0, true);
    }

    @AfterAll
    static void stopServers() {
        raw.close();
        herald.close();
        heraldRecovering.close();
    }

    private static JsonLine run(String server, String... args) throws InterruptedException {
        int port = switch (server) {
            case "raw" -> raw.port();
            case "herald-recovery" -> heraldRecovering.port();
            default -> herald.port();
        };
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port)));
        all.addAll(List.of(args));
        return LoadGenerator.run(new Options(all.toArray(String[]::new)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "herald"})
    void echoCountsAcksAndLatenciesWithNoBadAck(String server) throws InterruptedException {
        JsonLine out = run(
                server,
                "--scenario",
                "echo",
                "--clients",
                "5",
                "--pipeline",
                "4",
                "--warmup",
                "0.3",
                "--duration",
                "0.7");

        assertThat(out.get("error")).isNull();
        assertThat(out.get("ok")).isEqualTo(true);
        assertThat(out.get("connected")).isEqualTo(5);
        assertThat((long) out.get("acks")).isPositive();
        assertThat(out.get("bad_acks")).isEqualTo(0L);
        assertThat((double) out.get("p99_us")).isPositive();
        assertThat(out.get("saturated")).isInstanceOf(Boolean.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "herald"})
    void broadcastDeliversEveryRoundToEveryJoinedClient(String server) throws InterruptedException {
        JsonLine out = run(
                server,
                "--scenario",
                "broadcast",
                "--clients",
                "20",
                "--rounds",
                "3",
                "--warmup-rounds",
                "1",
                "--gap",
                "0.01");

        assertThat(out.get("error")).isNull();
        assertThat(out.get("ok")).isEqualTo(true);
        assertThat(out.get("incomplete_rounds")).isEqualTo(0);
        assertThat(out.get("late")).isEqualTo(0L);
        assertThat((double) out.get("last_p50_ms")).isGreaterThanOrEqualTo((double) out.get("first_p50_ms"));
    }

    @ParameterizedTest
    @CsvSource({"raw,websocket", "herald,websocket", "herald,polling"})
    void stormConnectsAndClosesEveryClient(String server, String transport) throws InterruptedException {
        JsonLine out = run(
                server,
                "--scenario",
                "storm",
                "--clients",
                "60",
                "--warmup-clients",
                "10",
                "--window",
                "8",
                "--transport",
                transport);

        assertThat(out.get("error")).isNull();
        assertThat(out.get("ok")).isEqualTo(true);
        assertThat(out.get("connected")).isEqualTo(60);
        assertThat((double) out.get("connects_per_s")).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "herald"})
    void idleHoldsItsClientsFromSeveralSourceAddresses(String server) throws InterruptedException {
        JsonLine out = run(server, "--scenario", "idle", "--clients", "30", "--per-source", "10", "--hold", "0.2");

        assertThat(out.get("error")).isNull();
        assertThat(out.get("ok")).isEqualTo(true);
        assertThat(out.get("held")).isEqualTo(30);
        assertThat(out.get("dropped")).isEqualTo(0);
    }

    @Test
    void jitterReconnectsWithItsSessionAndCountsEveryNumber() throws InterruptedException {
        JsonLine out = run(
                "herald-recovery",
                "--scenario",
                "jitter",
                "--clients",
                "5",
                "--duration",
                "3",
                "--drop-min",
                "0.4",
                "--drop-max",
                "0.8",
                "--reconnect-max",
                "0.1",
                "--parked",
                "0",
                "--settle",
                "5");

        assertThat(out.get("error")).isNull();
        assertThat(out.get("ok")).isEqualTo(true);
        assertThat((long) out.get("reconnects")).isGreaterThanOrEqualTo(5);
        // Most reconnects recover; one that races its own transport close may not (see benchmarks.md).
        assertThat((long) out.get("recovered")).isGreaterThan((long) out.get("reconnects") / 2);
        assertThat((long) out.get("replay_samples")).isPositive();
        assertThat(out.get("duplicates")).isEqualTo(0L);
        assertThat(out.get("reordered")).isEqualTo(0L);
        assertThat((long) out.get("delivered")).isPositive();
    }

    @Test
    void jitterWithoutRecoveryOnTheServerRecoversNothing() throws InterruptedException {
        JsonLine out = run(
                "herald",
                "--scenario",
                "jitter",
                "--clients",
                "3",
                "--duration",
                "1.5",
                "--drop-min",
                "0.3",
                "--drop-max",
                "0.5",
                "--reconnect-max",
                "0.05",
                "--parked",
                "0",
                "--settle",
                "1");

        assertThat(out.get("ok")).isEqualTo(true);
        assertThat((long) out.get("reconnects")).isPositive();
        assertThat(out.get("recovered")).isEqualTo(0L);
        assertThat((long) out.get("lost")).isPositive();
    }

    @Test
    void anUnknownScenarioIsAnErrorInTheResult() throws InterruptedException {
        JsonLine out = run("raw", "--scenario", "nope");

        assertThat(out.get("ok")).isEqualTo(false);
        assertThat((String) out.get("error")).contains("--scenario must be");
    }
}
