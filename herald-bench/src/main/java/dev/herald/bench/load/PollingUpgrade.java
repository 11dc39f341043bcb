package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One client of the polling storm, as a browser connects: {@code GET} the polling handshake,
 * {@code POST 40}, {@code GET} the {@code 40{"sid"...}} answer, then open a WebSocket with the sid
 * and upgrade: {@code 2probe}, {@code 3probe}, {@code 5}. Reports success or failure once to the
 * ramp, then closes both connections; or, with a client to keep, closes the polling connection and
 * hands the upgraded WebSocket to that client (the upgraded-path echo), which reports its success.
 * Runs on the generator's event loop, which owns its state.
 */
final class PollingUpgrade {
    private enum Step {
        HANDSHAKE,
        CONNECT,
        CONNECTED,
        UPGRADE,
        DONE
    }

    private final Connector connector;
    private final int index;
    private final Ramp ramp;
    private Step step = Step.HANDSHAKE;
    private String sid;
    /** The keep-alive HTTP connection; replaced when the server closes it after a response. */
    private Channel http;
    /** Whether a request on {@link #http} waits for its response. */
    private boolean awaiting;
    /** The request in flight, to send again on a fresh connection (see {@link HttpHandler}). */
    private HttpMethod lastMethod;

    private String lastQuery;
    private String lastBody;
    private Channel ws;
    /** The client that takes the WebSocket once upgraded; null when both connections close then. */
    private final SioClient keep;

    PollingUpgrade(Connector connector, int index, Ramp ramp) {
        this(connector, index, ramp, null);
    }

    PollingUpgrade(Connector connector, int index, Ramp ramp, SioClient keep) {
        this.connector = connector;
        this.index = index;
        this.ramp = ramp;
        this.keep = keep;
    }

    void start() {
        request(HttpMethod.GET, "", null);
    }

    /** Sends a request on the open HTTP connection, or on a new one if there is none. */
    private void request(HttpMethod method, String query, String body) {
        lastMethod = method;
        lastQuery = query;
        lastBody = body;
        String uri = "/socket.io/?EIO=4&transport=polling" + query;
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, content);
        req.headers().set(HttpHeaderNames.HOST, connector.host() + ":" + connector.port());
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (body != null) {
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
            req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        awaiting = true;
        if (http != null && http.isActive()) {
            http.writeAndFlush(req);
            return;
        }
        ChannelFuture f = connector
                .bootstrap(index)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new HttpHandler());
                    }
                })
                .connect();
        http = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                f.channel().writeAndFlush(req);
            } else {
                req.release();
                fail(done.cause());
            }
        });
    }

    /**
     * Reads the responses of one HTTP connection. A kept-alive connection that dies before it
     * answers the next request gets that request again on a fresh connection, as browsers and curl
     * do: netty-socketio 2.0.14 says {@code keep-alive} and then closes the connection on the
     * second request.
     */
    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private int responses;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            awaiting = false;
            responses++;
            if (!HttpUtil.isKeepAlive(res)) {
                http = null;
                ctx.close();
            }
            if (res.status().code() != 200) {
                fail(new IllegalStateException(step + ": HTTP " + res.status().code()));
            } else {
                response(res.content().toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (awaiting && ctx.channel() == http) {
                if (responses > 0) {
                    http = null;
                    request(lastMethod, lastQuery, lastBody);
                } else {
                    fail(new IllegalStateException(step + ": polling connection closed"));
                }
            }
        }
    }

    private void response(String body) {
        switch (step) {
            case HANDSHAKE -> {
                int at = body.indexOf("\"sid\":\"");
                if (!body.startsWith("0") || at < 0) {
                    fail(new IllegalStateException("bad polling handshake"));
                    return;
                }
                sid = body.substring(at + 7, body.indexOf('"', at + 7));
                step = Step.CONNECT;
                request(HttpMethod.POST, "&sid=" + sid, "40");
            }
            case CONNECT -> {
                step = Step.CONNECTED;
                request(HttpMethod.GET, "&sid=" + sid, null);
            }
            case CONNECTED -> {
                if (!body.startsWith("40")) {
                    fail(new IllegalStateException("no namespace connect over polling"));
                    return;
                }
                step = Step.UPGRADE;
                upgrade();
            }
            default -> {}
        }
    }

    private void upgrade() {
        ChannelFuture f =
                connector.openWebSocket(index, "&sid=" + sid, new SimpleChannelInboundHandler<WebSocketFrame>() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                            ctx.writeAndFlush(new TextWebSocketFrame("2probe"));
                        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                            fail(new IllegalStateException("upgrade handshake timed out"));
                        }
                        super.userEventTriggered(ctx, evt);
                    }

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                        if (frame instanceof TextWebSocketFrame t && "3probe".equals(t.text())) {
                            if (keep != null) {
                                // The client reads what follows 5, so it takes the pipeline first.
                                ctx.pipeline().replace(this, "sio", keep);
                                ctx.writeAndFlush(new TextWebSocketFrame("5"));
                                handOver();
                                return;
                            }
                            ctx.writeAndFlush(new TextWebSocketFrame("5")).addListener(w -> {
                                if (w.isSuccess()) {
                                    succeed();
                                } else {
                                    fail(w.cause());
                                }
                            });
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        fail(cause);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        fail(new IllegalStateException("websocket closed during upgrade"));
                    }
                });
        ws = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                fail(done.cause());
            }
        });
    }

    private void handOver() {
        step = Step.DONE;
        Connector.closeQuietly(http);
        keep.adoptUpgraded(ws);
    }

    private void succeed() {
        if (step != Step.DONE) {
            step = Step.DONE;
            ramp.succeeded();
            closeBoth();
        }
    }

    private void fail(Throwable cause) {
        if (step != Step.DONE) {
            step = Step.DONE;
            ramp.failed(cause);
            closeBoth();
        }
    }

    private void closeBoth() {
        Connector.closeQuietly(http);
        Connector.closeQuietly(ws);
    }
}
