package dev.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Opens connections to the server under test, each from a loopback source address chosen by the
 * client's index.
 *
 * <p>Past about 10 000 connections from one address {@code connect()} slows sharply, and each
 * address has only about 28 000 ephemeral ports, so client {@code i} binds
 * {@code 127.0.0.(2 + (i / perSource + offset) % 250)}: the whole of 127.0.0.0/8 reaches the
 * loopback interface.
 *
 * <p>Every WebSocket it opens counts its bytes on the wire in one shared {@link WireBytes}. With
 * {@code deflate}, every WebSocket offers {@code permessage-deflate}, and a handshake answered
 * without it fails that client and is remembered ({@link #deflateRefusal()}), so that a run meant
 * to measure deflate cannot quietly measure plain frames.
 */
final class Connector {
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int perSource;
    private final int sourceOffset;
    private final int timeoutMillis;
    private final boolean deflate;
    private final WireBytes wire = new WireBytes();
    /**
     * The {@code Sec-WebSocket-Extensions} answer (or "none") of the first handshake that did not
     * accept the deflate offer; empty while there is none. Owned by the event loop.
     */
    private String deflateRefusal = "";

    /**
     * @param sourceOffset shifts the source addresses, so that back-to-back runs do not meet the
     *     ports the last run left in TIME_WAIT
     */
    Connector(EventLoop loop, String host, int port, int perSource, int sourceOffset, int timeoutMillis) {
        this(loop, host, port, perSource, sourceOffset, timeoutMillis, false);
    }

    /** As the other constructor; {@code deflate} makes every WebSocket offer permessage-deflate. */
    Connector(
            EventLoop loop,
            String host,
            int port,
            int perSource,
            int sourceOffset,
            int timeoutMillis,
            boolean deflate) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.perSource = perSource;
        this.sourceOffset = sourceOffset;
        this.timeoutMillis = timeoutMillis;
        this.deflate = deflate;
    }

    EventLoop loop() {
        return loop;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean deflate() {
        return deflate;
    }

    /** The byte counts of every WebSocket this connector opened; read them on the event loop. */
    WireBytes wire() {
        return wire;
    }

    /**
     * What the first handshake that declined the deflate offer answered, empty if none did (or
     * deflate was not asked for). On the event loop.
     */
    String deflateRefusal() {
        return deflateRefusal;
    }

    /** The source address for the client with this index. */
    InetSocketAddress source(int index) {
        int k = 2 + (index / perSource + sourceOffset) % 250;
        return new InetSocketAddress("127.0.0." + k, 0);
    }

    /** A bootstrap on the generator's loop, bound to client {@code index}'s source address. */
    Bootstrap bootstrap(int index) {
        return new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .localAddress(source(index))
                .remoteAddress(host, port);
    }

    /**
     * Opens a Socket.IO client over WebSocket. {@code query} is appended to the Engine.IO query
     * (e.g. {@code &sid=...}). A failed connect is reported to the listener as {@code closed}.
     */
    SioClient open(int index, String query, SioClient.Listener listener) {
        return open(index, query, "40", listener);
    }

    /** As {@link #open(int, String, SioClient.Listener)}, with its own namespace connect frame. */
    SioClient open(int index, String query, String connectFrame, SioClient.Listener listener) {
        SioClient client = new SioClient(index, connectFrame, listener);
        ChannelFuture f = openWebSocket(index, query, client);
        client.attach(f.channel());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                listener.closed(client, done.cause());
            }
        });
        return client;
    }

    /**
     * Connects a WebSocket to the Engine.IO endpoint with {@code handler} after the WebSocket
     * codec; the handler sees {@code HANDSHAKE_COMPLETE} and then frames.
     */
    ChannelFuture openWebSocket(int index, String query, ChannelHandler handler) {
        URI uri = URI.create("ws://" + host + ":" + port + "/socket.io/?EIO=4&transport=websocket" + query);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(deflate)
                .generateOriginHeader(false)
                .withUTF8Validator(false)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(timeoutMillis)
                .build();
        return bootstrap(index)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(wire, new HttpClientCodec(), new HttpObjectAggregator(1 << 16));
                        if (deflate) {
                            ch.pipeline().addLast(new DeflateCheck(), deflateOffer());
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(config), handler);
                    }
                })
                .connect();
    }

    /**
     * Offers permessage-deflate as Netty's {@code WebSocketClientCompressionHandler} does (level 6,
     * the full window, no limit on inflated size), but lets the server ask the client not to keep
     * its context between messages: Herald always asks (see {@code PerMessageDeflate} in
     * herald-netty), and the stock handler refuses that answer and fails the handshake. Allowing
     * it also puts {@code client_no_context_takeover} in the offer, which Node's ws then accepts, so
     * both servers run with the same parameters. deflate-frame, the stock handler's other offers,
     * is left out: no browser sends it and neither server speaks it.
     */
    private static ChannelHandler deflateOffer() {
        return new WebSocketClientExtensionHandler(new PerMessageDeflateClientExtensionHandshaker(
                6, false, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false, 0));
    }

    /**
     * Reads the extensions the server accepted from the handshake answer, before Netty's extension
     * handler acts on them, and fails the client if permessage-deflate is not among them.
     */
    private final class DeflateCheck extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse response
                    && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                String accepted = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, "");
                if (!accepted.toLowerCase(Locale.ROOT).contains("permessage-deflate")) {
                    String answer = accepted.isEmpty() ? "none" : accepted;
                    if (deflateRefusal.isEmpty()) {
                        deflateRefusal = answer;
                    }
                    ReferenceCountUtil.release(msg);
                    ctx.fireExceptionCaught(new IllegalStateException(
                            "the server did not accept permessage-deflate (Sec-WebSocket-Extensions: " + answer + ")"));
                    return;
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Closes a channel and tells nobody: used when a scenario is over. */
    static void closeQuietly(Channel ch) {
        if (ch != null) {
            ch.close();
        }
    }
}
