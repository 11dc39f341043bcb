package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatchAndTasksTest {

    @Test
    void concurrentDispatchLetsOneSocketsHandlersOverlap() throws Exception {
        try (SocketIoServer io = SocketIoServer.create(
                SocketIoOptions.builder().dispatchMode(DispatchMode.CONCURRENT).build())) {
            CountDownLatch bothRunning = new CountDownLatch(2);
            AtomicInteger finished = new AtomicInteger();
            io.on("wait", (s, a) -> {
                bothRunning.countDown();
                // Only returns when the other handler runs at the same time.
                if (bothRunning.await(5, TimeUnit.SECONDS)) {
                    finished.incrementAndGet();
                }
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            c.deliver("2[\"wait\"]");
            c.deliver("2[\"wait\"]");
            await().until(() -> finished.get() == 2);
        }
    }

    @Test
    void inOrderDispatchRunsOneHandlerAtATime() throws Exception {
        try (SocketIoServer io = SocketIoServer.create()) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            io.on("work", (s, a) -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(20);
                running.decrementAndGet();
                done.incrementAndGet();
            });
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            for (int i = 0; i < 5; i++) {
                c.deliver("2[\"work\"]");
            }
            await().until(() -> done.get() == 5);
            assertThat(maxRunning.get()).isEqualTo(1);
        }
    }

    @Test
    void backgroundTaskRunsOnANamedVirtualThreadAndCanBeCancelledAndJoined() throws Exception {
        try (SocketIoServer io = SocketIoServer.create()) {
            CountDownLatch started = new CountDownLatch(1);
            String[] name = new String[1];
            BackgroundTask task = io.startBackgroundTask(() -> {
                name[0] = Thread.currentThread().getName() + "/"
                        + Thread.currentThread().isVirtual();
                started.countDown();
                new CountDownLatch(1).await(); // until cancelled
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(task.isDone()).isFalse();
            task.cancel();
            assertThat(task.join(Duration.ofSeconds(5))).isTrue();
            assertThat(task.isDone()).isTrue();
            assertThat(name[0]).matches("herald-task-\\d+/true");
        }
    }

    @Test
    void backgroundTaskEmitsReachClients() throws Exception {
        try (SocketIoServer io = SocketIoServer.create()) {
            FakeEngineSocket c = new FakeEngineSocket(io);
            c.connect("/");
            io.startBackgroundTask(() -> {
                        for (int i = 1; i <= 3; i++) {
                            io.emit("progress", i);
                        }
                    })
                    .join();
            assertThat(c.nextText()).isEqualTo("2[\"progress\",1]");
            assertThat(c.nextText()).isEqualTo("2[\"progress\",2]");
            assertThat(c.nextText()).isEqualTo("2[\"progress\",3]");
        }
    }

    @Test
    void optionsAreValidatedWithTheOptionName() {
        assertThatThrownBy(() ->
                        SocketIoOptions.builder().connectTimeout(Duration.ZERO).build())
                .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> SocketIoOptions.builder().maxAttachments(-1).build())
                .hasMessageContaining("maxAttachments");
        assertThat(SocketIoOptions.defaults().connectTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(SocketIoOptions.defaults().maxAttachments()).isEqualTo(10);
        assertThat(SocketIoOptions.defaults().dispatchMode()).isEqualTo(DispatchMode.IN_ORDER);
    }

    @Test
    void aClientFloodingASlowHandlerIsDisconnectedPastMaxPendingEvents() throws Exception {
        try (SocketIoServer io = SocketIoServer.create(
                SocketIoOptions.builder().maxPendingEvents(5).build())) {
            CountDownLatch release = new CountDownLatch(1);
            io.on("slow", (s, a) -> release.await());
            FakeEngineSocket flooder = new FakeEngineSocket(io);
            FakeEngineSocket calm = new FakeEngineSocket(io);
            flooder.connect("/");
            calm.connect("/");
            for (int i = 0; i < 5; i++) {
                flooder.deliver("2[\"slow\"]");
            }
            assertThat(flooder.isOpen()).isTrue();
            flooder.deliver("2[\"slow\"]");
            assertThat(flooder.isOpen()).isFalse();
            assertThat(calm.isOpen()).isTrue();
            release.countDown();
        }
    }
}
