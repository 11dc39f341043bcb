package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.NettyLeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link NettyLeakDetection} (registered for this module by auto-detection) can fail: a
 * buffer leaked on purpose is reported. The report is taken here, so the extension does not fail
 * this test; without the extension's factory nothing would be recorded and this test would fail.
 */
class LeakDetectionTest {

    @Test
    void aLeakedBufferIsReportedToTheExtension() {
        NettyLeakDetection.drain();
        leakOneBuffer();
        assertThat(String.join("\n", NettyLeakDetection.collect()))
                .contains("LEAK: ByteBuf.release() was not called")
                .contains("leakOneBuffer");
    }

    @Test
    void aReleasedBufferIsNotReported() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(7);
        buf.release();
        assertThat(NettyLeakDetection.collect()).isEmpty();
    }

    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        // A distinct record so Netty does not dedupe this report with an earlier one.
        buf.touch("leaked on purpose at " + System.nanoTime());
        buf.writeInt(42);
        // buf goes out of scope without release()
    }
}
