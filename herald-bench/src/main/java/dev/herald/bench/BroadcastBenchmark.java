package dev.herald.bench;

import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.Message;
import dev.herald.socketio.SocketIoServer;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A broadcast to 10 000 sockets connected through in-memory Engine.IO sessions: the cost of
 * {@code io.emit} itself (room lookup, encode, hand-off), without network I/O.
 *
 * <p>Setup checks that a broadcast is encoded once: every recipient must be handed the same
 * {@link Message} instance, or the benchmark refuses to run.
 *
 * <p>Run: {@code java -jar herald-bench/target/benchmarks.jar BroadcastBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class BroadcastBenchmark {

    @Param({"10000"})
    public int sockets;

    private SocketIoServer io;
    private final AtomicLong delivered = new AtomicLong();
    // Only during the encode-once check in setUp: the distinct messages handed to sessions.
    private volatile Map<Message, Boolean> seen;

    /** A session that only counts what it is handed; the server's emit path is all that runs. */
    private final class CountingSession implements EngineSocket {
        private final String id;
        private final HandshakeRequest request = new HandshakeRequest(
                Map.of(), Map.of(), "/socket.io/?EIO=4", new InetSocketAddress("127.0.0.1", 1), false, Instant.now());

        CountingSession(int n) {
            this.id = "s" + n;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int protocol() {
            return 4;
        }

        @Override
        public HandshakeRequest request() {
            return request;
        }

        @Override
        public String transport() {
            return "websocket";
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public void send(Message message) {
            delivered.incrementAndGet();
            Map<Message, Boolean> s = seen;
            if (s != null) {
                synchronized (s) {
                    s.put(message, Boolean.TRUE);
                }
            }
        }

        @Override
        public void send(List<Message> messages) {
            messages.forEach(this::send);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        io = SocketIoServer.create();
        for (int i = 0; i < sockets; i++) {
            CountingSession session = new CountingSession(i);
            EngineSocketListener listener = io.connectionHandler().onOpen(session);
            listener.onMessage(session, Message.text("0"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (io.sockets().sockets().size() < sockets) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + io.sockets().sockets().size() + " sockets connected");
            }
            Thread.sleep(10);
        }
        // CONNECT replies (and the per-socket connect hand-offs) may still be in flight: wait until
        // nothing has been sent for a while, so the check below sees the broadcast alone.
        long last = -1;
        while (delivered.get() != last) {
            last = delivered.get();
            Thread.sleep(300);
        }
        seen = new IdentityHashMap<>();
        delivered.set(0);
        io.emit("tick", Map.of("n", 1));
        if (delivered.get() != sockets || seen.size() != 1) {
            throw new IllegalStateException("a broadcast to " + sockets + " sockets made " + delivered.get()
                    + " deliveries of " + seen.size() + " distinct messages; expected one message shared by all");
        }
        seen = null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        io.close();
    }

    @Benchmark
    public long broadcast() {
        io.emit("tick", Map.of("n", 1));
        return delivered.get();
    }
}
