package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.transport.WebSocketConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What reaches the engine from a WebSocket channel, and what the channel answers, on an {@link EmbeddedChannel}. */
class WebSocketFrameHandlerTest {

    final List<String> told = new ArrayList<>();
    final EmbeddedChannel ch = channel();

    EmbeddedChannel channel() {
        WebSocketFrameHandler handler = new WebSocketFrameHandler();
        handler.listener(new WebSocketConnection.Listener() {
            @Override
            public void onText(String text) {
                told.add("text " + text);
            }

            @Override
            public void onBinary(byte[] data) {
                told.add("binary " + data.length);
            }

            @Override
            public void onClose(CloseReason reason, String description) {
                told.add("close " + reason.wire());
            }
        });
        return new EmbeddedChannel(handler);
    }

    <T> T answer(Class<T> type) {
        Object out = ch.readOutbound();
        assertThat(out).isInstanceOf(type);
        return type.cast(out);
    }

    @Test
    void textAndBinaryMessagesReachTheEngineInOrderAndTheCloseIsReportedOnce() {
        ch.writeInbound(new TextWebSocketFrame("4héllo"));
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        ch.close();
        ch.close();
        assertThat(told).containsExactly("text 4héllo", "binary 3", "close transport close");
    }

    @Test
    void aTextFrameThatIsNotUtf8IsAParseErrorAndClosesWith1007() {
        ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'4', (byte) 0xC3, (byte) 0x28})));
        CloseWebSocketFrame close = answer(CloseWebSocketFrame.class);
        try {
            assertThat(close.statusCode()).isEqualTo(1007);
        } finally {
            close.release();
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(told).containsExactly("close parse error");
    }

    @Test
    void anOversizedMessageIsMessageTooLargeAndClosesWith1009() {
        ch.pipeline().fireExceptionCaught(new TooLongFrameException("too long"));
        CloseWebSocketFrame close = answer(CloseWebSocketFrame.class);
        try {
            assertThat(close.statusCode()).isEqualTo(1009);
        } finally {
            close.release();
        }
        assertThat(told).containsExactly("close message too large");
    }

    @Test
    void aPingIsAnsweredWithItsPayloadAndNotPassedOn() {
        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)));
        PongWebSocketFrame pong = answer(PongWebSocketFrame.class);
        try {
            assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        } finally {
            pong.release();
        }
        assertThat(told).isEmpty();
    }

    @Test
    void aCloseFrameIsAnsweredThenTheChannelClosesAsATransportClose() {
        ch.writeInbound(new CloseWebSocketFrame(1000, "bye"));
        CloseWebSocketFrame close = answer(CloseWebSocketFrame.class);
        try {
            assertThat(close.statusCode()).isEqualTo(1000);
        } finally {
            ReferenceCountUtil.release(close);
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(told).containsExactly("close transport close");
    }
}
