package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of a real Redis Cluster under two Herald nodes with {@link ShardedRedisAdapter}: a master
 * crashes (SIGKILL) while they broadcast through it, and the whole cluster is down when they
 * start. The nodes keep serving their own clients, count what they could not publish, and
 * recover by themselves once the cluster does.
 */
class ShardedFailoverTest {

    static final ObjectMapper JSON = new ObjectMapper();

    RedisCluster cluster;
    ShardedNodeInteropTest.Node sender;
    ShardedNodeInteropTest.Node receiver;

    void start(int replicasPerMaster) {
        cluster = RedisCluster.launch(3, replicasPerMaster);
        sender = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC);
        receiver = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC);
    }

    @AfterEach
    void stop() {
        sender.server().close();
        receiver.server().close();
        cluster.close();
    }

    @Test
    void nodesStartWhileTheClusterIsDownAndJoinItWhenItComes() {
        cluster = RedisCluster.launch(3, 0);
        cluster.nodes().forEach(RedisServer::stop);
        // the factories return at once and keep trying in the background
        sender = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC);
        receiver = ShardedNodeInteropTest.Node.start(cluster.uri(), SubscriptionMode.DYNAMIC);
        var auth = JSON.createObjectNode();
        auth.putArray("rooms").add("early");
        var local = FakeClient.connect(sender.server(), "/", auth);
        var member = FakeClient.connect(receiver.server(), "/", auth);
        sender.server().to("early").emit("while-down");
        local.awaitEvent("while-down");
        assertThat(sender.factory().connected()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.factory().droppedMessages() >= 1);

        cluster.nodes().forEach(RedisServer::start);
        cluster.awaitHealthy();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sender.factory().connected() && receiver.factory().connected());
        var sent = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    sender.server().to("early").emit("after", sent.incrementAndGet());
                    return !member.events("after").isEmpty();
                });
        assertThat(member.events("while-down")).isEmpty();
    }

    @Test
    void nodesRecoverAfterAMasterFailsOverAndCountWhatWasLost() {
        start(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sender.server().sockets().adapter().serverCount() == 2);
        String room = "failover";
        var auth = JSON.createObjectNode();
        auth.putArray("rooms").add(room);
        var member = FakeClient.connect(receiver.server(), "/", auth);
        var local = FakeClient.connect(sender.server(), "/", auth);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.shardSubscribers("socket.io#/#" + room + "#") == 2);
        sender.server().to(room).emit("before", 1);
        member.awaitEvent("before");

        var master = cluster.masterOf("socket.io#/#" + room + "#");
        long droppedBefore = sender.factory().droppedMessages();
        master.crash();

        // while the slot has no master the local member is still served
        sender.server().to(room).emit("during", 1);
        local.awaitEvent("during");

        // the replica takes over once the others agree the master failed (node timeout: 1 s)
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> cluster.masterOf("socket.io#/#" + room + "#").port() != master.port());
        cluster.awaitHealthy();
        // the receiver subscribes on the promoted master again; the sender publishes there
        var sent = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    sender.server().to(room).emit("after", sent.incrementAndGet());
                    return !member.events("after").isEmpty();
                });

        // the message sent into the outage was either delivered once the slot moved (Lettuce
        // retries a command that has not timed out yet) or counted as dropped: never silently lost
        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        member.events("during").size() + (sender.factory().droppedMessages() - droppedBefore) >= 1);
        assertThat(member.events("during")).hasSizeLessThanOrEqualTo(1);
        assertThat(receiver.factory().resubscriptions()).isPositive();
        assertThat(local.events("after"))
                .hasSizeGreaterThanOrEqualTo(member.events("after").size());
    }
}
