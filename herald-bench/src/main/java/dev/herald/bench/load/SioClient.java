package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One simulated Socket.IO client on a WebSocket: waits for the Engine.IO open packet
 * {@code 0{...}}, sends {@code 40}, waits for {@code 40{"sid"...}}, answers pings {@code 2} with
 * {@code 3}, and hands acks and events to its {@link Listener}.
 *
 * <p>Every client of a run lives on the generator's single event loop, so none of this state is
 * shared between threads; all fields are owned by that loop.
 */
final class SioClient extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** What a scenario hears from its clients; called on the generator's event loop. */
    interface Listener {
        /** The namespace connect was answered: the client may emit now. */
        void connected(SioClient client);

        /** The namespace connect is about to be sent (a recovering server may answer with events first). */
        default void connectSent(SioClient client) {}

        /**
         * The namespace connect's answer {@code 40{...}}, just before {@link #connected} (connection
         * state recovery reads its pid there). The buffer is only valid during the call.
         */
        default void connectReply(SioClient client, ByteBuf frame) {}

        /** A {@code 43...} frame. The buffer is only valid during the call. */
        default void ack(SioClient client, ByteBuf frame) {}

        /** A {@code 42...} frame. The buffer is only valid during the call. */
        default void event(SioClient client, ByteBuf frame) {}

        /** The connection is gone, before or after {@link #connected}. */
        void closed(SioClient client, Throwable cause);
    }

    final int index;
    private final Listener listener;
    /** What the client sends as its namespace connect: {@code 40}, or {@code 40{...}} with a payload. */
    private final String connectFrame;

    private Channel channel;
    private boolean connected;
    /** When the namespace connect was sent (System.nanoTime), 0 before. */
    private long connectSentNanos;

    private Throwable failure;
    /** Inside a read batch: writes wait for {@link #channelReadComplete} to flush them at once. */
    private boolean reading;

    private boolean unflushed;

    SioClient(int index, Listener listener) {
        this(index, "40", listener);
    }

    SioClient(int index, String connectFrame, Listener listener) {
        this.index = index;
        this.connectFrame = connectFrame;
        this.listener = listener;
    }

    Channel channel() {
        return channel;
    }

    boolean isConnected() {
        return connected;
    }

    long connectSentNanos() {
        return connectSentNanos;
    }

    /**
     * Writes one text frame. Called while this client reads, the frame is flushed with the others
     * written in the same read batch (one syscall for all the answers to one read); otherwise now.
     */
    void send(ByteBuf body) {
        TextWebSocketFrame frame = new TextWebSocketFrame(body);
        if (reading) {
            channel.write(frame, channel.voidPromise());
            unflushed = true;
        } else {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    /** Called by the {@link Connector} as soon as the channel exists, before it connects. */
    void attach(Channel channel) {
        this.channel = channel;
    }

    /**
     * Takes over a WebSocket that {@link PollingUpgrade} upgraded, whose namespace connect was
     * answered over polling: the client is connected from now on.
     */
    void adoptUpgraded(Channel upgraded) {
        channel = upgraded;
        connected = true;
        listener.connected(this);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            failure = new IllegalStateException("websocket handshake timed out");
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        reading = true;
        if (!(frame instanceof TextWebSocketFrame)) {
            return; // binary frames are not part of any scenario
        }
        ByteBuf body = frame.content();
        if (body.readableBytes() == 0) {
            return;
        }
        byte type = body.getByte(body.readerIndex());
        if (type == '2' && body.readableBytes() == 1) {
            send(Frames.ascii(ctx.alloc(), "3"));
        } else if (type == '0' && !connected) {
            connectSentNanos = System.nanoTime();
            listener.connectSent(this);
            send(Frames.ascii(ctx.alloc(), connectFrame));
        } else if (type == '4' && body.readableBytes() > 1) {
            switch (body.getByte(body.readerIndex() + 1)) {
                case '0' -> {
                    if (!connected) {
                        connected = true;
                        listener.connectReply(this, body);
                        listener.connected(this);
                    }
                }
                case '2' -> listener.event(this, body);
                case '3' -> listener.ack(this, body);
                case '4' -> {
                    failure = new IllegalStateException("connect refused: " + body.toString(StandardCharsets.UTF_8));
                    ctx.close();
                }
                default -> {}
            }
        } else if (type == '1') {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.closed(this, failure);
    }
}
