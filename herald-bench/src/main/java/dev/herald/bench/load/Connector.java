package dev.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Opens connections to the server under test, each from a loopback source address chosen by the
 * client's index.
 *
 * <p>Past about 10 000 connections from one address {@code connect()} slows sharply, and each
 * address has only about 28 000 ephemeral ports, so client {@code i} binds
 * {@code 127.0.0.(2 + (i / perSource + offset) % 250)}: the whole of 127.0.0.0/8 reaches the
 * loopback interface.
 */
final class Connector {
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int perSource;
    private final int sourceOffset;
    private final int timeoutMillis;

    /**
     * @param sourceOffset shifts the source addresses, so that back-to-back runs do not meet the
     *     ports the last run left in TIME_WAIT
     */
    Connector(EventLoop loop, String host, int port, int perSource, int sourceOffset, int timeoutMillis) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.perSource = perSource;
        this.sourceOffset = sourceOffset;
        this.timeoutMillis = timeoutMillis;
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
                .allowExtensions(false)
                .generateOriginHeader(false)
                .withUTF8Validator(false)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(timeoutMillis)
                .build();
        return bootstrap(index)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpClientCodec(),
                                        new HttpObjectAggregator(1 << 16),
                                        new WebSocketClientProtocolHandler(config),
                                        handler);
                    }
                })
                .connect();
    }

    /** Closes a channel and tells nobody: used when a scenario is over. */
    static void closeQuietly(Channel ch) {
        if (ch != null) {
            ch.close();
        }
    }
}
