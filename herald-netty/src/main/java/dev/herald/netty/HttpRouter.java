package dev.herald.netty;

import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.HttpRequestView;
import dev.herald.engineio.ResponseHeaders;
import dev.herald.engineio.transport.CorsPolicy;
import dev.herald.engineio.transport.EngineError;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each HTTP request: the Engine.IO path (polling, WebSocket upgrade, CORS preflight), the
 * client bundle, then the application's static files.
 *
 * <p>Threading: runs on the channel's event loop. Static files are read on a virtual thread.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final ServerContext server;

    HttpRouter(ServerContext server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            refuseMalformed(ctx, req);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        String enginePath = server.path();
        if (path.equals(enginePath) || path.equals(enginePath.substring(0, enginePath.length() - 1))) {
            handleEngine(ctx, req);
        } else if (server.serveClient()
                && path.startsWith(enginePath)
                && ClientBundles.FILES.contains(path.substring(enginePath.length()))) {
            String resource = ClientBundles.RESOURCE_DIR + path.substring(enginePath.length());
            serveFile(ctx, req, () -> StaticFiles.classpath(server.classLoader(), resource));
        } else if (server.staticFiles().enabled()
                && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)) {
            serveFile(ctx, req, () -> server.staticFiles().find(path));
        } else {
            sendPlain(ctx, req, HttpResponseStatus.NOT_FOUND, "Not found");
        }
    }

    private void handleEngine(ChannelHandlerContext ctx, FullHttpRequest req) {
        CorsPolicy cors = server.cors();
        Optional<String> origin = Optional.ofNullable(req.headers().get(HttpHeaderNames.ORIGIN));
        CorsPolicy.Verdict verdict =
                cors.verdict(origin, Optional.ofNullable(req.headers().get(HttpHeaderNames.HOST)));
        if (verdict == CorsPolicy.Verdict.REFUSED) {
            log.debug("refusing {} {} from a foreign origin", req.method(), req.uri());
            HandshakeRequest hr = Requests.toHandshake(ctx.channel(), req, server.secure());
            ConnectionError error = server.engine()
                    .refuse(
                            new HttpRequestView(req.method().name(), hr),
                            EngineError.FORBIDDEN,
                            Map.of("name", "ORIGIN_NOT_ALLOWED"));
            sendEngineError(ctx, req, error, EMPTY);
            return;
        }
        if (req.method() == HttpMethod.OPTIONS) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            cors.addPreflightHeaders(
                    verdict,
                    origin,
                    Optional.ofNullable(req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)),
                    res.headers()::add);
            send(ctx, req, res);
            return;
        }
        HandshakeRequest hr = Requests.toHandshake(ctx.channel(), req, server.secure());
        if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            upgrade(ctx, req, hr);
            return;
        }
        HttpHeaders corsHeaders = new DefaultHttpHeaders();
        cors.addHeaders(verdict, origin, corsHeaders::add);
        server.engine().handleRequest(new NettyEngineRequest(ctx.channel(), req, hr, corsHeaders));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, HandshakeRequest hr) {
        EngineIoServer engine = server.engine();
        if (req.method() != HttpMethod.GET) {
            ConnectionError error = engine.refuse(
                    new HttpRequestView(req.method().name(), hr),
                    EngineError.BAD_REQUEST,
                    Map.of("name", "BAD_UPGRADE_METHOD"));
            sendEngineError(ctx, req, error, EMPTY);
            return;
        }
        ResponseHeaders extra = new ResponseHeaders();
        Optional<ConnectionError> error = engine.checkUpgrade(hr, extra);
        if (error.isPresent()) {
            sendEngineError(ctx, req, error.get(), extra.toMap());
            return;
        }
        HttpHeaders upgradeHeaders = new DefaultHttpHeaders();
        extra.toMap().forEach(upgradeHeaders::set);
        Optional<EventLoop> home = Optional.ofNullable(hr.query().get("sid"))
                .flatMap(engine::executorOf)
                .filter(NettyExecutor.class::isInstance)
                .map(e -> ((NettyExecutor) e).loop())
                .filter(loop -> loop != ctx.channel().eventLoop());
        if (home.isPresent()) {
            moveThenHandshake(ctx, req, hr, upgradeHeaders, home.get());
            return;
        }
        handshake(ctx, req, hr, upgradeHeaders);
    }

    /**
     * An upgrade of a session whose home is another loop: the channel moves there first, so that
     * one loop owns the session and its WebSocket (its frames then need no hop between threads,
     * and its writes join that loop's batched flushes), as ARCHITECTURE.md promises. Reads pause
     * while it moves; what the client sends meanwhile waits in the socket.
     */
    private void moveThenHandshake(
            ChannelHandlerContext ctx,
            FullHttpRequest req,
            HandshakeRequest hr,
            HttpHeaders upgradeHeaders,
            EventLoop home) {
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        // Read after this method returns, when SimpleChannelInboundHandler has released its hold.
        req.retain();
        ch.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess()) {
                log.debug("cannot move {} to its session's loop", ch, deregistered.cause());
                req.release();
                ch.close();
                return;
            }
            home.register(ch).addListener(registered -> {
                try {
                    if (!registered.isSuccess()) {
                        log.debug("cannot move {} to its session's loop", ch, registered.cause());
                        ch.close();
                        return;
                    }
                    handshake(ctx, req, hr, upgradeHeaders);
                    ch.config().setAutoRead(true);
                } finally {
                    req.release();
                }
            });
        });
    }

    private void handshake(
            ChannelHandlerContext ctx, FullHttpRequest req, HandshakeRequest hr, HttpHeaders upgradeHeaders) {
        EngineIoServer engine = server.engine();
        int max = engine.options().maxHttpBufferSize();
        Optional<WebSocketServerExtension> deflate = PerMessageDeflate.negotiate(req.headers(), engine.options());
        deflate.ifPresent(ext ->
                upgradeHeaders.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, PerMessageDeflate.responseHeader(ext)));
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(max)
                // RSV1 marks a compressed frame: allowed only once deflate is agreed.
                .allowExtensions(deflate.isPresent())
                .closeOnProtocolViolation(true)
                .build();
        String url = (server.secure() ? "wss://" : "ws://")
                + req.headers().get(HttpHeaderNames.HOST, "localhost")
                + req.uri();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(url, null, config).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        WebSocketFrameHandler frames = new WebSocketFrameHandler();
        // Placed now, before the 101 leaves: the client's first frame may follow it in the same read.
        // The frame codec the handshake adds sits before these, so frames are inflated before
        // they are aggregated, and deflated before they are framed.
        deflate.ifPresent(ext ->
                p.addLast("ws-deflate", ext.newExtensionEncoder()).addLast("ws-inflate", ext.newExtensionDecoder()));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(max));
        p.addLast("ws-frames", frames);
        handshaker
                .handshake(ctx.channel(), req, upgradeHeaders, ctx.channel().newPromise())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.debug("WebSocket handshake failed on {}", ctx.channel(), f.cause());
                        ctx.channel().close();
                        return;
                    }
                    NettyWebSocketConnection connection = new NettyWebSocketConnection(ctx.channel());
                    frames.listener(engine.openWebSocket(hr, connection));
                });
        p.remove(this);
    }

    /** The request URI (still encoded) with a slash after its path: {@code /a?x=1} → {@code /a/?x=1}. */
    private static String withSlash(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri + "/" : uri.substring(0, q) + "/" + uri.substring(q);
    }

    private void serveFile(
            ChannelHandlerContext ctx, FullHttpRequest req, Supplier<Optional<StaticFiles.Found>> lookup) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method() == HttpMethod.HEAD;
        // File reads block: do them on a virtual thread, write back on the channel's loop.
        Thread.ofVirtual().name("herald-static").start(() -> {
            Optional<StaticFiles.Found> found;
            try {
                found = lookup.get();
            } catch (RuntimeException e) {
                log.debug("static file lookup failed", e);
                found = Optional.empty();
            }
            FullHttpResponse res;
            if (found.isPresent() && found.get().folder()) {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
                res.headers().set(HttpHeaderNames.LOCATION, withSlash(req.uri()));
                res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            } else if (found.isPresent()) {
                // Hashing and compressing stay on this virtual thread, off the event loop.
                res = FileResponses.build(req.headers(), found.get(), head);
            } else {
                byte[] body = "Not found".getBytes(StandardCharsets.UTF_8);
                res = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(body));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
                res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            }
            ctx.executor().execute(() -> write(ctx, keepAlive, res));
        });
    }

    /**
     * A request Netty could not decode: a too-long URL (414), too many header bytes (431), or
     * anything else (400). The decoder discards the rest of the connection, so it is closed.
     */
    private static void refuseMalformed(ChannelHandlerContext ctx, FullHttpRequest req) {
        Throwable cause = req.decoderResult().cause();
        HttpResponseStatus status;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
        }
        log.debug("refusing a malformed request on {}: {}", ctx.channel(), status);
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(status.reasonPhrase(), StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        write(ctx, false, res);
    }

    private static final Map<String, List<String>> EMPTY = Map.of();

    private static void sendEngineError(
            ChannelHandlerContext ctx, FullHttpRequest req, ConnectionError error, Map<String, List<String>> extra) {
        byte[] body = error.json().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(error.httpStatus()), Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        extra.forEach(res.headers()::set);
        send(ctx, req, res);
    }

    private static void sendPlain(
            ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String text) {
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        send(ctx, req, res);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        write(ctx, HttpUtil.isKeepAlive(req), res);
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} after error", ctx.channel(), cause);
        ctx.close();
    }
}
