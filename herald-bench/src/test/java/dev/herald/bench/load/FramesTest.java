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
    ByteBuf frame = Frames.echo(alloc, 17, "abc");
    try {
      assertThat(frame.toString(StandardCharsets.UTF_8)).isEqualTo("4217[\"echo\",\"abc\"]");
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
    assertThat(Frames.echoAck(9, "abc")).isEqualTo("439[\"abc\"]");
  }
}
