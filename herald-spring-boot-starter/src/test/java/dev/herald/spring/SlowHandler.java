package dev.herald.spring;

import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.OnDisconnect;
import dev.herald.socketio.annotation.SocketNamespace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Handlers still running when the application stops: one short, one that would never return. */
@SocketNamespace("/slow")
class SlowHandler {

    final CountDownLatch started = new CountDownLatch(2);
    final AtomicBoolean shortOneFinished = new AtomicBoolean();
    final AtomicBoolean stuckOneInterrupted = new AtomicBoolean();
    final List<DisconnectReason> disconnects = new CopyOnWriteArrayList<>();

    @OnDisconnect
    void left(DisconnectReason reason) {
        disconnects.add(reason);
    }

    @On("short")
    void shortWork(long millis) throws InterruptedException {
        started.countDown();
        Thread.sleep(millis);
        shortOneFinished.set(true);
    }

    @On("stuck")
    void stuck() {
        started.countDown();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            stuckOneInterrupted.set(true);
        }
    }
}
