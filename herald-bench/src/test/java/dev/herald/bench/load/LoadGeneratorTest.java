package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.BenchServer;
import dev.herald.bench.servers.RawNettyServer;
import dev.herald.netty.IoTransport;
import dev.herald.netty.NettyServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
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
    private static NettyServer heraldDeflating;

    @BeforeAll
    static void startServers() throws InterruptedException {
        raw = RawNettyServer.start(0);
        herald = BenchServer.start(0);
        heraldRecovering = BenchServer.start(0, true);
        heraldDeflating = BenchServer.start(0, false, false, 0, IoTransport.NIO, true);
    }

    @AfterAll
    static void stopServers() {
        raw.close();
        herald.close();
        heraldRecovering.close();
        heraldDeflating.close();
    }

    private static JsonLine run(String server, String... args) throws InterruptedException {
        int port = switch (server) {
            case "raw" -> raw.port();
            case "herald-recovery" -> heraldRecovering.port();
            case "herald-deflate" -> heraldDeflating.port();
            default -> herald.port();
        };
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port)));
        all.addAll(List.of(args));
        return LoadGenerator.run(new Options(all.toArray(String[]::new)));
    }

    @ParameterizedTest
    @CsvSource({"raw,websocket", "herald,websocket", "herald,polling"})
    void echoCountsAcksAndLatenciesWithNoBadAck(String server, String transport) throws InterruptedException {
        JsonLine out = run(
                server,
                "--transport",
                transport,
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
        assertThat(out.get("transport")).isEqualTo(transport);
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

    @Nested
    class PayloadAndDeflate {
        private static final String[] ECHO = {
            "--scenario", "echo", "--clients", "4", "--pipeline", "2", "--warmup", "0.3", "--duration", "0.7"
        };
        private static final String[] BROADCAST = {
            "--scenario", "broadcast", "--clients", "10", "--rounds", "4", "--warmup-rounds", "1", "--gap", "0.01"
        };

        private JsonLine run(String server, String[] scenario, String... more) throws InterruptedException {
            List<String> all = new ArrayList<>(List.of(scenario));
            all.addAll(List.of(more));
            return LoadGeneratorTest.run(server, all.toArray(String[]::new));
        }

        @ParameterizedTest
        @ValueSource(strings = {"raw", "herald"})
        void echoOfALargePayloadIsAckedWholeAndCountedOnTheWire(String server) throws InterruptedException {
            JsonLine out = run(server, ECHO, "--payload", "2048");

            assertThat(out.get("error")).isNull();
            assertThat(out.get("ok")).isEqualTo(true);
            assertThat(out.get("bad_acks")).isEqualTo(0L);
            assertThat(out.get("payload_bytes")).isEqualTo(2048);
            assertThat(out.get("deflate")).isEqualTo(false);
            // Each way: the payload plus the Socket.IO and WebSocket framing (and a few pings).
            assertThat((double) out.get("wire_bytes_in_per_msg")).isBetween(2048.0, 2048.0 + 64);
            assertThat((double) out.get("wire_bytes_out_per_msg")).isBetween(2048.0, 2048.0 + 64);
        }

        @Test
        void echoWithDeflateSendsAndReceivesFarFewerBytesThanThePayload() throws InterruptedException {
            JsonLine out = run("herald-deflate", ECHO, "--payload", "2048", "--deflate");

            assertThat(out.get("error")).isNull();
            assertThat(out.get("ok")).isEqualTo(true);
            assertThat(out.get("deflate")).isEqualTo(true);
            assertThat((double) out.get("wire_bytes_in_per_msg")).isPositive().isLessThan(1024.0);
            assertThat((double) out.get("wire_bytes_out_per_msg")).isPositive().isLessThan(1024.0);
        }

        @ParameterizedTest
        @ValueSource(strings = {"raw", "herald"})
        void broadcastCarriesThePayloadToEveryReceiver(String server) throws InterruptedException {
            JsonLine out = run(server, BROADCAST, "--payload", "1500");

            assertThat(out.get("error")).isNull();
            assertThat(out.get("ok")).isEqualTo(true);
            assertThat(out.get("bad_ticks")).isEqualTo(0L);
            assertThat((double) out.get("wire_bytes_in_per_msg")).isBetween(1500.0, 1500.0 + 64);
        }

        @Test
        void broadcastWithDeflateDeliversFewerBytesThanThePayload() throws InterruptedException {
            JsonLine out = run("herald-deflate", BROADCAST, "--payload", "2048", "--deflate");

            assertThat(out.get("error")).isNull();
            assertThat(out.get("ok")).isEqualTo(true);
            assertThat(out.get("bad_ticks")).isEqualTo(0L);
            assertThat((double) out.get("wire_bytes_in_per_msg")).isPositive().isLessThan(1024.0);
        }

        @Test
        void deflateAgainstAServerThatDoesNotAcceptItFailsTheRun() throws InterruptedException {
            JsonLine out = run("herald", ECHO, "--payload", "2048", "--deflate");

            assertThat(out.get("ok")).isEqualTo(false);
            assertThat((String) out.get("error"))
                    .contains("did not accept permessage-deflate")
                    .contains("Sec-WebSocket-Extensions: none");
        }

        @Test
        void deflateIsRefusedForAScenarioThatDoesNotMeasureIt() throws InterruptedException {
            JsonLine out = LoadGeneratorTest.run("herald-deflate", "--scenario", "idle", "--clients", "2", "--deflate");

            assertThat((String) out.get("error")).contains("--deflate and --payload are for echo and broadcast only");
        }
    }

    @Test
    void anUnknownScenarioIsAnErrorInTheResult() throws InterruptedException {
        JsonLine out = run("raw", "--scenario", "nope");

        assertThat(out.get("ok")).isEqualTo(false);
        assertThat((String) out.get("error")).contains("--scenario must be");
    }
}
