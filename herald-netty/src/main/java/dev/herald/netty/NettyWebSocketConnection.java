package dev.herald.netty;

import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.WebSocketConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's view of one WebSocket channel. Writes wrap the shared byte arrays without copying,
 * so a broadcast writes the same bytes to every channel.
 */
final class NettyWebSocketConnection implements WebSocketConnection {

    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final Channel channel;
    private final SessionExecutor executor;
    private final AtomicBoolean closing = new AtomicBoolean();

    NettyWebSocketConnection(Channel channel) {
        this.channel = channel;
        this.executor = new NettyExecutor(channel.eventLoop());
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public void sendText(byte[] utf8) {
        if (!closing.get()) {
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
        }
    }

    @Override
    public void sendBinary(byte[] data) {
        if (!closing.get()) {
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), channel.voidPromise());
        }
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                // A peer that does not read never lets the close frame out: do not wait for it forever.
                try {
                    channel.eventLoop().schedule(() -> {
                        if (channel.isOpen()) {
                            channel.close();
                        }
                    }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // The loop is shutting down and closes the channel itself.
                }
            }
        }
    }

    @Override
    public void abort() {
        closing.set(true);
        // Closing fails and releases every pending write at once.
        channel.close();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long bufferedBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    boolean isClosing() {
        return closing.get();
    }
}
