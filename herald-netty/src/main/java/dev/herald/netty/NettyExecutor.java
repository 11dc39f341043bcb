package dev.herald.netty;

import dev.herald.engineio.transport.SessionExecutor;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A Netty event loop seen as the engine's {@link SessionExecutor}. */
final class NettyExecutor implements SessionExecutor {

    private final EventLoop loop;

    NettyExecutor(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public boolean inExecutor() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
