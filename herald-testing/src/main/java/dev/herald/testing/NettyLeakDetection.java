package dev.herald.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test when Netty reports a leaked buffer (or any other tracked
 * resource) while it ran. Netty only logs leaks; this turns the log line into a failure.
 *
 * <p>It installs a {@link ResourceLeakDetectorFactory} whose detectors record every report, so it
 * must be in place before Netty creates its detectors: register it by auto-detection, with
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} naming this class and
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in
 * {@code src/test/resources/junit-platform.properties}. Run tests with
 * {@code -Dio.netty.leakDetection.level=paranoid} so every buffer is tracked.
 *
 * <p>Netty reports a leak only after the garbage collector has found the buffer and a later
 * allocation polls for it: after each test the reports so far are checked; after each test class
 * the collector runs and a few buffers are allocated first, so late reports surface there.
 *
 * <p>Threading: reports arrive on any thread; the queue is concurrent.
 */
public final class NettyLeakDetection implements AfterEachCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /** Created by JUnit; installing the factory happens once, when the class loads. */
    public NettyLeakDetection() {}

    @Override
    public void afterEach(ExtensionContext context) {
        failOn(drain(), context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOn(collect(), context.getDisplayName() + " (found after the class finished)");
    }

    /**
     * Runs the garbage collector and allocates a few buffers so that Netty reports leaked
     * resources now; returns and forgets every report so far. Tests that leak on purpose use it.
     */
    public static List<String> collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (int i = 0; i < 8; i++) {
                // Each tracked allocation polls the detector's queue of collected, unreleased buffers.
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(8);
                pooled.release();
                ByteBuf direct = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
                direct.release();
            }
        }
        return drain();
    }

    /** Returns and forgets the reports recorded so far, without collecting. */
    public static List<String> drain() {
        List<String> out = new ArrayList<>();
        String r;
        while ((r = REPORTS.poll()) != null) {
            out.add(r);
        }
        return out;
    }

    private static void failOn(List<String> reports, String where) {
        if (!reports.isEmpty()) {
            throw new AssertionError("Netty reported " + reports.size() + " leak(s) during " + where + ":\n"
                    + String.join("\n\n", reports));
        }
    }

    /** Makes detectors that record reports, and still log them as Netty does. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            // Record leaks even when Netty's logger is off.
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTS.add(
                    "LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no records: run with -Dio.netty.leakDetection.level=paranoid).");
            super.reportUntracedLeak(resourceType);
        }
    }
}
