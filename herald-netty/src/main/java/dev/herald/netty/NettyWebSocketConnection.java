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
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The engine's view of one WebSocket channel. Writes wrap the shared byte arrays without copying,
 * so a broadcast writes the same bytes to every channel.
 *
 * <p>Frames written on the event loop are flushed together: the first write of a loop pass
 * registers the connection with its loop's {@link PendingFlushes}, whose one task, behind the
 * tasks already queued, flushes every connection written to meanwhile. The frames of a burst
 * (the acks of pipelined events) leave in one syscall instead of one each, and a broadcast adds
 * one flush task per loop rather than one per connection. Nothing waits for more work: the flush
 * runs as soon as the loop reaches it.
 */
final class NettyWebSocketConnection implements WebSocketConnection {

    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final Channel channel;
    private final SessionExecutor executor;
    // Any thread: 1 once close() or abort() ran (an int behind a VarHandle: one object less per connection).
    private volatile int closing;
    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(NettyWebSocketConnection.class, "closing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    // Owned by the channel's event loop: whether a flush is queued behind the writes of this pass.
    private boolean flushQueued;

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
        sendText(utf8, true);
    }

    @Override
    public void sendBinary(byte[] data) {
        sendBinary(data, true);
    }

    @Override
    public void sendText(byte[] utf8, boolean compress) {
        if (closing == 0) {
            send(
                    compress
                            ? new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8))
                            : PerMessageDeflate.uncompressedText(Unpooled.wrappedBuffer(utf8)));
        }
    }

    @Override
    public void sendBinary(byte[] data, boolean compress) {
        if (closing == 0) {
            send(
                    compress
                            ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data))
                            : PerMessageDeflate.uncompressedBinary(Unpooled.wrappedBuffer(data)));
        }
    }

    private void send(WebSocketFrame frame) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(frame, channel.voidPromise());
            return;
        }
        channel.write(frame, channel.voidPromise());
        if (!flushQueued) {
            flushQueued = true;
            PendingFlushes.ofThisLoop().add(this, channel.eventLoop());
        }
    }

    void flushNow() {
        flushQueued = false;
        channel.flush();
    }

    @Override
    public void whenWritten(Runnable callback) {
        // An empty buffer passes the frame encoders untouched; its future completes once the
        // frames written before it have been flushed to the socket, or the channel failed.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> callback.run());
    }

    @Override
    public void close() {
        if (CLOSING.compareAndSet(this, 0, 1)) {
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                // A peer that does not read never lets the close frame out: do not wait for it forever.
                try {
                    channel.eventLoop()
                            .schedule(
                                    () -> {
                                        if (channel.isOpen()) {
                                            channel.close();
                                        }
                                    },
                                    CLOSE_GRACE_MILLIS,
                                    TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // The loop is shutting down and closes the channel itself.
                }
            }
        }
    }

    @Override
    public void abort() {
        closing = 1;
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
        return closing != 0;
    }
}
