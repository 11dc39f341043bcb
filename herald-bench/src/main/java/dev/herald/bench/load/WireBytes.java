package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the TCP payload bytes every client reads and writes, at the head of its pipeline: below
 * HTTP, WebSocket framing and permessage-deflate, so the count is what crossed the wire (IP and TCP
 * headers aside). A written buffer is counted when it enters the head, which for the small frames
 * of the scenarios is when it is sent.
 *
 * <p>One instance is shared by every client of a {@link Connector}; they all live on the
 * generator's one event loop, which owns both counters. Read them there ({@link Scenario#onLoop}).
 */
@ChannelHandler.Sharable
final class WireBytes extends ChannelDuplexHandler {
    /** Bytes read and written up to some moment; two of them give a measured window. */
    record Count(long in, long out) {
        Count since(Count start) {
            return new Count(in - start.in, out - start.out);
        }
    }

    // Owned by the generator's event loop.
    private long in;
    private long out;

    /** The counts so far; on the event loop. */
    Count count() {
        return new Count(in, out);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            in += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            out += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }
}
