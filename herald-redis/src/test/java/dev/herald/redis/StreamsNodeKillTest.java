package dev.herald.redis;

import static dev.herald.redis.NodePeer.command;
import static dev.herald.redis.StreamsCluster.connect;
import static dev.herald.redis.StreamsCluster.got;
import static dev.herald.redis.StreamsCluster.whoami;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.redis.StreamsCluster.HeraldNode;
import dev.herald.redis.internal.StreamCodec;
import dev.herald.socketio.adapter.PersistedSession;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Herald node in its own JVM is killed with SIGKILL; its npm socket.io-client 4.8 client
 * resumes on a node of the test JVM from what the dead node kept in Redis while it lived.
 */
class StreamsNodeKillTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    // Short, so that the dead node's periodic rewrite (a quarter of it, 5 s) brings data() to
    // Redis quickly; long enough that its sessions outlive the time the client stays away.
    static final Duration DOOMED_WINDOW = Duration.ofSeconds(20);

    static RedisServer redis;
    static StatefulRedisConnection<byte[], byte[]> inspect;
    static RedisClient inspectClient;
    static HeraldNode survivor;
    static NodePeer clients;
    // the node killed by the running test; owned by the test thread
    Process doomed;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        inspectClient = RedisClient.create(redis.uri());
        inspect = inspectClient.connect(ByteArrayCodec.INSTANCE);
        survivor = HeraldNode.start(redis.uri());
        clients = NodePeer.run("streams-peer.js", "clients");
        clients.awaitLine(l -> l.path("ev").asText().equals("ready"));
    }

    @AfterAll
    static void stop() {
        clients.close();
        survivor.close();
        inspect.close();
        inspectClient.shutdown();
        redis.close();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.call(command("closeClients"));
        if (doomed != null) {
            doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientOfAKilledNodeResumesElsewhereWithRoomsDataAndTheEventsItMissed() throws Exception {
        killAndResume("after-one", true);
    }

    @Test
    void clientOfAKilledNodeThatGotNothingYetResumesFromTheSessionStart() throws Exception {
        killAndResume("before-any", false);
    }

    private void killAndResume(String name, boolean receiveOneFirst) throws Exception {
        String doomedUrl = "http://127.0.0.1:" + startDoomedNode();
        var cmd = command("client").put("client", name).put("url", doomedUrl);
        cmd.putObject("auth").put("name", name).set("rooms", NodePeer.array("blue"));
        clients.send(cmd);
        JsonNode first = connect(clients, name, 1);
        String sid = first.path("sid").asText();
        String pid = first.path("pid").asText();
        assertThat(pid).isNotEmpty();
        assertThat(whoami(clients, name).path("rooms").toString()).contains("blue");
        var expected = new ArrayList<String>();
        if (receiveOneFirst) {
            survivor.io().to("blue").emit("tick", "0");
            expected.add("tick:0");
            await().atMost(WAIT).until(() -> got(clients, name).size() == 1);
        }
        // The connect handler sets data() after joining, so only the dead node's periodic rewrite
        // brings it to Redis: wait until that has happened, as a node that lives a while would.
        await().atMost(WAIT)
                .until(() -> stored(pid)
                        .filter(s -> s.rooms().contains("blue")
                                && name.equals(s.data().get("name")))
                        .isPresent());

        doomed.destroyForcibly();
        assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        clients.awaitLine(l -> l.path("ev").asText().equals("disconnected")
                && name.equals(l.path("client").asText()));
        // while it is away (its reconnection attempts hit the dead port): to its room, and elsewhere
        for (int i = 1; i <= 5; i++) {
            survivor.io().to("blue").emit("tick", String.valueOf(i));
            expected.add("tick:" + i);
        }
        survivor.io().to("red").emit("tick", "not-for-blue");
        clients.send(command("retarget").put("client", name).put("url", survivor.url()));

        JsonNode resumed = connect(clients, name, 2);
        assertThat(resumed.path("recovered").asBoolean()).isTrue();
        assertThat(resumed.path("sid").asText()).isEqualTo(sid);
        // an event after the replay marks the end: nothing else, and nothing twice, before it
        survivor.io().to("blue").emit("tick", "end");
        expected.add("tick:end");
        await().atMost(WAIT).until(() -> got(clients, name).contains("tick:end"));
        assertThat(got(clients, name)).containsExactlyElementsOf(expected);

        var whoami = whoami(clients, name);
        assertThat(whoami.path("rooms").toString()).contains("blue").contains(sid);
        assertThat(whoami.path("data").path("name").asText()).isEqualTo(name);
    }

    /** The session stored under this pid, if any. */
    private static Optional<PersistedSession> stored(String pid) {
        byte[] value = inspect.sync().get(("sio:session:" + pid).getBytes(StandardCharsets.UTF_8));
        return Optional.ofNullable(value).map(StreamCodec::session);
    }

    /** Starts {@link StreamsNodeMain} in a child JVM with the test class path; returns its port. */
    private int startDoomedNode() throws IOException {
        doomed = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StreamsNodeMain.class.getName(),
                        redis.uri(),
                        Long.toString(DOOMED_WINDOW.toMillis()))
                .redirectErrorStream(true)
                .start();
        var port = new CompletableFuture<Integer>();
        var output = new ArrayList<String>();
        var reader = new Thread(
                () -> {
                    try (var lines = new BufferedReader(
                            new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            if (line.startsWith("{\"ev\":\"listening\"")) {
                                port.complete(NodePeer.JSON
                                        .readTree(line)
                                        .path("port")
                                        .asInt());
                            } else if (!port.isDone()) {
                                output.add(line);
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    port.completeExceptionally(new IllegalStateException("the node exited before serving: " + output));
                },
                "doomed-node-stdout");
        reader.setDaemon(true);
        reader.start();
        return port.orTimeout(30, TimeUnit.SECONDS).join();
    }
}
