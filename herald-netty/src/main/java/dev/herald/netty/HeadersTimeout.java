package dev.herald.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose first request head has not fully arrived within {@code headersTimeout}
 * (the slowloris defence; Node's {@code server.headersTimeout}): it is answered 408 and closed.
 * Once the first head is in, the handler removes itself; later requests on a keep-alive
 * connection are not timed, as the engine's own heartbeat bounds an idle session.
 *
 * <p>Threading: the channel's event loop only; its field is owned by that loop.
 */
final class HeadersTimeout extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(HeadersTimeout.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;

    HeadersTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            cancel();
            ctx.pipeline().remove(this);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        log.debug("closing {}: no complete request head within headersTimeout", ctx.channel());
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
