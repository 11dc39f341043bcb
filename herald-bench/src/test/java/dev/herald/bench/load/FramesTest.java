package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramesTest {
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    private ByteBuf text(String s) {
        return Frames.ascii(alloc, s);
    }

    @Test
    void echoFrameIsAnEventWithAnAckIdAndThePayload() {
        ByteBuf frame = Frames.echo(alloc, 17, "\"abc\"");
        try {
            assertThat(frame.toString(StandardCharsets.UTF_8)).isEqualTo("4217[\"echo\",\"abc\"]");
        } finally {
            frame.release();
        }
    }

    @Test
    void echoFrameCarriesAnyJsonArgumentAsItIs() {
        ByteBuf frame = Frames.echo(alloc, 3, "[{\"id\":1}]");
        try {
            assertThat(frame.toString(StandardCharsets.UTF_8)).isEqualTo("423[\"echo\",[{\"id\":1}]]");
        } finally {
            frame.release();
        }
    }

    @Test
    void ackIdIsReadFromAnAckFrame() {
        ByteBuf ack = text("43123[\"x\"]");
        ByteBuf event = text("42123[\"x\"]");
        ByteBuf noId = text("43[\"x\"]");
        try {
            assertThat(Frames.ackId(ack)).isEqualTo(123);
            assertThat(Frames.ackId(event)).isEqualTo(-1);
            assertThat(Frames.ackId(noId)).isEqualTo(-1);
        } finally {
            ack.release();
            event.release();
            noId.release();
        }
    }

    @Test
    void numberStopsAtTheFirstNonDigitAndHonoursTheReaderIndex() {
        ByteBuf buf = text("xx42[\"tick\",31]");
        try {
            buf.skipBytes(2);
            assertThat(Frames.startsWith(buf, "42[\"tick\",")).isTrue();
            assertThat(Frames.number(buf, 10)).isEqualTo(31);
            assertThat(Frames.number(buf, 0)).isEqualTo(42);
            assertThat(Frames.number(buf, 2)).isEqualTo(-1);
        } finally {
            buf.release();
        }
    }

    @Test
    void echoAckIsWhatTheReferenceAppAnswers() {
        assertThat(Frames.echoAck(9, "\"abc\"")).isEqualTo("439[\"abc\"]");
    }

    @Test
    void theLastStringArgumentIsTheRecoveryOffset() {
        ByteBuf withOffset = text("42[\"tick\",17,\"k3j9a.1f\"]");
        ByteBuf without = text("42[\"tick\",17]");
        ByteBuf onlyName = text("42[\"tick\"]");
        ByteBuf escaped = text("42[\"tick\",\"a\\\"b\"]");
        try {
            assertThat(Frames.lastStringArgument(withOffset)).contains("k3j9a.1f");
            assertThat(Frames.lastStringArgument(without)).isEmpty();
            // The event name is the first element, not an argument, but nothing here emits bare names.
            assertThat(Frames.lastStringArgument(onlyName)).contains("tick");
            assertThat(Frames.lastStringArgument(escaped)).isEmpty();
        } finally {
            withOffset.release();
            without.release();
            onlyName.release();
            escaped.release();
        }
    }

    @Test
    void aStringFieldIsReadFromTheConnectReply() {
        ByteBuf reply = text("40{\"sid\":\"s1\",\"pid\":\"p-2_x\"}");
        try {
            assertThat(Frames.stringField(reply, "pid")).contains("p-2_x");
            assertThat(Frames.stringField(reply, "sid")).contains("s1");
            assertThat(Frames.stringField(reply, "offset")).isEmpty();
        } finally {
            reply.release();
        }
    }
}
