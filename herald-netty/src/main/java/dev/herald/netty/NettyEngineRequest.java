package dev.herald.netty;

import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.transport.EngineRequest;
import dev.herald.engineio.transport.SessionExecutor;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One polling HTTP request handed to the engine. Holds no Netty buffer: the body is copied, and
 * the CORS headers for the answer are computed up front, so it may be answered from any thread
 * and at any later time (a parked poll).
 */
final class NettyEngineRequest implements EngineRequest {

    private final Channel channel;
    private final String method;
    private final HandshakeRequest request;
    private final byte[] body;
    private final boolean keepAlive;
    private final HttpHeaders corsHeaders;
    private final SessionExecutor executor;
    private final AtomicBoolean responded = new AtomicBoolean();
    // Written once on the channel's loop (engine registers it), read there when the channel closes.
    private volatile Runnable abortCallback;

    NettyEngineRequest(Channel channel, FullHttpRequest req, HandshakeRequest request, HttpHeaders corsHeaders) {
        this.channel = channel;
        this.method = req.method().name();
        this.request = request;
        byte[] b = new byte[req.content().readableBytes()];
        req.content().getBytes(req.content().readerIndex(), b);
        this.body = b;
        this.keepAlive = HttpUtil.isKeepAlive(req);
        this.corsHeaders = corsHeaders;
        this.executor = new NettyExecutor(channel.eventLoop());
        channel.closeFuture().addListener(onChannelClosed);
    }

    // Removed again once answered: a keep-alive connection carries many polls, and its close
    // future must not collect one listener per request.
    private final ChannelFutureListener onChannelClosed = f -> {
        Runnable cb = abortCallback;
        if (cb != null && responded.compareAndSet(false, true)) {
            cb.run();
        }
    };

    @Override
    public String method() {
        return method;
    }

    @Override
    public HandshakeRequest request() {
        return request;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public void respond(int status, String contentType, byte[] content) {
        respond(status, contentType, content, Map.of());
    }

    @Override
    public void respond(int status, String contentType, byte[] content, Map<String, List<String>> headers) {
        if (!responded.compareAndSet(false, true)) {
            return;
        }
        channel.closeFuture().removeListener(onChannelClosed);
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(content));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().add(corsHeaders);
        headers.forEach((name, values) -> res.headers().set(name, values));
        HttpUtil.setKeepAlive(res, keepAlive);
        if (!channel.isActive()) {
            res.release();
            return;
        }
        if (keepAlive) {
            channel.writeAndFlush(res, channel.voidPromise());
        } else {
            channel.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void onAbort(Runnable callback) {
        abortCallback = callback;
        if (!channel.isActive() && responded.compareAndSet(false, true)) {
            channel.eventLoop().execute(callback);
        }
    }
}
