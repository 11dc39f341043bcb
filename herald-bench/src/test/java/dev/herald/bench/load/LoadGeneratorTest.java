package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.servers.RawNettyServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario, small and short, against the raw Netty reference server in this JVM: the
 * generator speaks the protocol the reference servers answer, counts what it should, and stops by
 * itself. (The polling storm needs a server with polling; run.sh exercises it against Node and
 * netty-socketio.)
 */
class LoadGeneratorTest {
  private static RawNettyServer server;

  @BeforeAll
  static void startServer() throws InterruptedException {
    server = RawNettyServer.start(0);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static JsonLine run(String... args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--port", Integer.toString(server.port())));
    all.addAll(List.of(args));
    return LoadGenerator.run(new Options(all.toArray(String[]::new)));
  }

  @Test
  void echoCountsAcksAndLatenciesWithNoBadAck() throws InterruptedException {
    JsonLine out = run("--scenario", "echo", "--clients", "5", "--pipeline", "4",
        "--warmup", "0.3", "--duration", "0.7");

    assertThat(out.get("error")).isNull();
    assertThat(out.get("ok")).isEqualTo(true);
    assertThat(out.get("connected")).isEqualTo(5);
    assertThat((long) out.get("acks")).isPositive();
    assertThat(out.get("bad_acks")).isEqualTo(0L);
    assertThat((double) out.get("p99_us")).isPositive();
    assertThat(out.get("saturated")).isInstanceOf(Boolean.class);
  }

  @Test
  void broadcastDeliversEveryRoundToEveryJoinedClient() throws InterruptedException {
    JsonLine out = run("--scenario", "broadcast", "--clients", "20", "--rounds", "3",
        "--warmup-rounds", "1", "--gap", "0.01");

    assertThat(out.get("error")).isNull();
    assertThat(out.get("ok")).isEqualTo(true);
    assertThat(out.get("incomplete_rounds")).isEqualTo(0);
    assertThat(out.get("late")).isEqualTo(0L);
    assertThat((double) out.get("last_p50_ms"))
        .isGreaterThanOrEqualTo((double) out.get("first_p50_ms"));
  }

  @Test
  void stormConnectsAndClosesEveryClient() throws InterruptedException {
    JsonLine out = run("--scenario", "storm", "--clients", "60", "--warmup-clients", "10",
        "--window", "8");

    assertThat(out.get("error")).isNull();
    assertThat(out.get("ok")).isEqualTo(true);
    assertThat(out.get("connected")).isEqualTo(60);
    assertThat((double) out.get("connects_per_s")).isPositive();
  }

  @Test
  void idleHoldsItsClientsFromSeveralSourceAddresses() throws InterruptedException {
    JsonLine out = run("--scenario", "idle", "--clients", "30", "--per-source", "10",
        "--hold", "0.2");

    assertThat(out.get("error")).isNull();
    assertThat(out.get("ok")).isEqualTo(true);
    assertThat(out.get("held")).isEqualTo(30);
    assertThat(out.get("dropped")).isEqualTo(0);
  }

  @Test
  void anUnknownScenarioIsAnErrorInTheResult() throws InterruptedException {
    JsonLine out = run("--scenario", "nope");

    assertThat(out.get("ok")).isEqualTo(false);
    assertThat((String) out.get("error")).contains("--scenario must be");
  }
}
