package dev.herald.socketio.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor on virtual threads: the tasks of one socket run one after the other, in
 * submission order, on a virtual thread started when work arrives and ended when the queue is
 * empty. {@link #execute} never blocks, so an event loop may call it.
 */
public final class Mailbox implements Executor {

    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

    private final ThreadFactory threads;
    // Any thread adds; the draining virtual thread polls.
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    // 1 while a drainer runs; only the winner of the CAS starts one. An int behind a VarHandle
    // rather than an AtomicBoolean: one object less per socket.
    private volatile int running;
    private static final VarHandle RUNNING;

    static {
        try {
            RUNNING = MethodHandles.lookup().findVarHandle(Mailbox.class, "running", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param threads the factory of the draining threads (virtual, named) */
    public Mailbox(ThreadFactory threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (RUNNING.compareAndSet(this, 0, 1)) {
            threads.newThread(this::drain).start();
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    // Tasks report their own errors; this only guards the drainer.
                    log.warn("mailbox task failed", t);
                }
            }
            running = 0;
            // A task added between the last poll and the reset would otherwise be stranded.
            if (queue.isEmpty() || !RUNNING.compareAndSet(this, 0, 1)) {
                return;
            }
        }
    }
}
