package dev.herald.netty;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.PayloadCodec;
import dev.herald.engineio.transport.WebSocketConnection;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds complete WebSocket messages (after {@code WebSocketFrameAggregator}) to the engine's
 * listener, answers pings and close frames, and reports the close reason once.
 *
 * <p>Threading: runs on the channel's event loop only; its fields are owned by that loop.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

    private WebSocketConnection.Listener listener;
    private CloseReason reason = CloseReason.TRANSPORT_CLOSE;
    private String description = "";
    private boolean closedReported;

    /** Set once the engine accepted the connection (right after the handshake completed). */
    void listener(WebSocketConnection.Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (listener == null) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            String text;
            try {
                text = PayloadCodec.strictUtf8(ByteBufUtil.getBytes(frame.content()));
            } catch (MalformedPacketException e) {
                log.debug("closing {}: text frame is not UTF-8", ctx.channel());
                fail(ctx, CloseReason.PARSE_ERROR, "invalid UTF-8", WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
                return;
            }
            listener.onText(text);
        } else if (frame instanceof BinaryWebSocketFrame) {
            listener.onBinary(ByteBufUtil.getBytes(frame.content()));
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> ctx.close());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        reportClose();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException c
                        && c.closeStatus() != null
                        && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            log.debug("closing {}: WebSocket message over maxHttpBufferSize", ctx.channel());
            fail(
                    ctx,
                    CloseReason.MESSAGE_TOO_LARGE,
                    "frame over maxHttpBufferSize",
                    WebSocketCloseStatus.MESSAGE_TOO_BIG);
            return;
        }
        log.debug("closing {} after error", ctx.channel(), cause);
        fail(ctx, CloseReason.TRANSPORT_ERROR, String.valueOf(cause.getMessage()), WebSocketCloseStatus.PROTOCOL_ERROR);
    }

    private void fail(ChannelHandlerContext ctx, CloseReason r, String why, WebSocketCloseStatus status) {
        if (reason == CloseReason.TRANSPORT_CLOSE) {
            reason = r;
            description = why;
        }
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(f -> ctx.close());
        }
    }

    private void reportClose() {
        if (!closedReported && listener != null) {
            closedReported = true;
            listener.onClose(reason, description);
        }
    }
}
