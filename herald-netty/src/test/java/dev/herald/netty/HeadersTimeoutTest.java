package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The slowloris timer on an {@link EmbeddedChannel}, in the channel's virtual time. */
class HeadersTimeoutTest {

    static final Duration TIMEOUT = Duration.ofMillis(300);

    static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast("headers-timeout", new HeadersTimeout(TIMEOUT));
        return ch;
    }

    static void advance(EmbeddedChannel ch, Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aConnectionWithoutARequestHeadIsAnswered408AndClosedAtTheTimeoutNotBefore() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT.minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        assertThat((Object) ch.readOutbound()).isNull();
        advance(ch, Duration.ofMillis(1));
        FullHttpResponse res = ch.readOutbound();
        try {
            assertThat(res.status()).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);
            assertThat(res.headers().get("connection")).isEqualTo("close");
        } finally {
            ReferenceCountUtil.release(res);
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aKeepAliveConnectionIsNotTimedAfterItsFirstRequest() {
        EmbeddedChannel ch = channel();
        advance(ch, TIMEOUT.minusMillis(10));
        var req =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/socket.io/?EIO=4&transport=polling");
        assertThat(ch.writeInbound(req)).isTrue();
        ReferenceCountUtil.release(ch.readInbound());
        assertThat(ch.pipeline().get("headers-timeout")).isNull();
        advance(ch, TIMEOUT.multipliedBy(10));
        assertThat(ch.isOpen()).isTrue();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aClosedConnectionCancelsItsTimer() {
        EmbeddedChannel ch = channel();
        ch.close();
        advance(ch, TIMEOUT.multipliedBy(2));
        assertThat((Object) ch.readOutbound()).isNull();
    }
}
