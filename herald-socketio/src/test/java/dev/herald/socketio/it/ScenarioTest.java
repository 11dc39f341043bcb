package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.ReceivedEvent;
import dev.herald.testing.SocketIoTestClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scenario Herald exists for: a handler sleeps between two emits on a virtual thread; the
 * first emit reaches the client at once, the second after the sleep, while 200 other clients keep
 * getting fast replies.
 */
class ScenarioTest {

    private static final Duration WORK = Duration.ofSeconds(1);
    private static final int BYSTANDERS = 200;
    // Each bystander does about five round trips a second: 1000 a second in all, on 2 shared cores.
    private static final Duration PAUSE = Duration.ofMillis(200);

    private static boolean warmedUp;

    private final RunningServer server = new RunningServer(SocketIoServer.create());

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void firstEmitArrivesAtOnceAndTheSecondAfterTheSleepWhileOthersGetFastReplies(String transport) throws Exception {
        AtomicLong sleepEnded = new AtomicLong(Long.MAX_VALUE);
        server.io.of("/testnamespace").on("request_for_response", (socket, args) -> {
            socket.emit("response", Map.of("code", "200", "msg", "start to process..."));
            Thread.sleep(WORK);
            sleepEnded.set(System.nanoTime());
            socket.emit("response", Map.of("code", "200", "msg", "processed"));
        });
        server.io.onCall("echo", (socket, args) -> args.node(0));

        try (SocketIoTestClient worker = server.client(transport).namespace("/testnamespace").connect();
                EchoFleet fleet = new EchoFleet()) {
            fleet.connect(server.port(), BYSTANDERS);
            fleet.start(PAUSE);
            // Warm-up: the JIT compiles the echo path (server and fleet) before anything is
            // measured; the first case in a JVM needs longer.
            Thread.sleep(warmedUp ? 2000 : 6000);
            warmedUp = true;
            fleet.reset();

            long sent = System.nanoTime();
            worker.emit("request_for_response");
            ReceivedEvent first = worker.nextEvent("response", Duration.ofSeconds(5));
            ReceivedEvent second = worker.nextEvent("response", Duration.ofSeconds(5));
            fleet.stop();

            assertThat(first.arg(0).path("msg").asText()).isEqualTo("start to process...");
            assertThat(second.arg(0).path("msg").asText()).isEqualTo("processed");
            long firstMs = (first.nanoTime() - sent) / 1_000_000;
            long gapMs = (second.nanoTime() - first.nanoTime()) / 1_000_000;
            // The client and the server share this JVM, so their nanoTime clocks compare: the first
            // response was in the client's hands while the handler was still sleeping.
            assertThat(first.nanoTime()).as("first response arrived before the handler's sleep ended").isLessThan(sleepEnded.get());
            assertThat(gapMs).as("gap between the two responses (ms)").isGreaterThanOrEqualTo(900);

            List<Long> sorted = fleet.latencies();
            long p50 = sorted.get(sorted.size() / 2) / 1_000;
            long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1_000;
            System.out.printf("scenario %s: first=%d ms gap=%d ms; %d echo round trips by %d clients p50=%d us p99=%d us max=%d us%n",
                    transport, firstMs, gapMs, sorted.size(), BYSTANDERS, p50, p99, sorted.get(sorted.size() - 1) / 1_000);
            assertThat(fleet.errors()).isZero();
            assertThat(sorted.size()).isGreaterThan(BYSTANDERS * 3);
            // The target is p99 < 50 ms. When other processes keep this machine's cores busy
            // (load above 2 per core, this test's own two busy threads included), scheduling
            // alone adds tens of ms, so the bound widens and the test says so, rather than
            // failing on a neighbour's build.
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            int cores = Runtime.getRuntime().availableProcessors();
            boolean overloaded = load > cores * 2.0;
            long boundUs = overloaded ? 250_000 : 50_000;
            System.out.printf("load average %.1f on %d cores: p99 bound %d ms%s%n", load, cores, boundUs / 1000,
                    overloaded ? " (relaxed: machine overloaded)" : "");
            assertThat(p99).as("p99 echo latency (us)").isLessThan(boundUs);
        }
    }
}
