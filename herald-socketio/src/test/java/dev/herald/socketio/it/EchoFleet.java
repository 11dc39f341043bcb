package dev.herald.socketio.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many raw Socket.IO WebSocket clients on one Netty event loop, each doing echo round trips
 * ({@code 42id["echo",n]} → {@code 43id[n]}) with a pause between them, recording each round
 * trip's latency. Cheap enough that 200 of them measure the server, not the client.
 */
final class EchoFleet implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Channel> channels = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private volatile boolean running;
    private volatile CountDownLatch connected;

    /** Connects {@code count} clients to the main namespace; returns when all have joined. */
    void connect(int port, int count) throws InterruptedException {
        connected = new CountDownLatch(count);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
        for (int i = 0; i < count; i++) {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(
                                            new HttpClientCodec(),
                                            new HttpObjectAggregator(65536),
                                            new WebSocketClientProtocolHandler(
                                                    WebSocketClientHandshakerFactory.newHandshaker(
                                                            uri,
                                                            WebSocketVersion.V13,
                                                            null,
                                                            false,
                                                            EmptyHttpHeaders.INSTANCE,
                                                            65536)),
                                            new Client());
                        }
                    });
            channels.add(b.connect("127.0.0.1", port).sync().channel());
        }
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError(connected.getCount() + " fleet clients did not connect");
        }
    }

    /** Starts the round trips, one every {@code pause} per client. */
    void start(Duration pause) {
        running = true;
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> ((Client) ch.pipeline().last()).next(ch, pause));
        }
    }

    /** Forgets the latencies so far (the warm-up). */
    void reset() {
        latencies.clear();
    }

    /** Stops starting new round trips. */
    void stop() {
        running = false;
    }

    /** Round-trip latencies in nanoseconds, sorted. */
    List<Long> latencies() {
        List<Long> out = new ArrayList<>(latencies);
        Collections.sort(out);
        return out;
    }

    int errors() {
        return errors.get();
    }

    /** Pings received so far, by all clients. */
    int pings() {
        return pings.get();
    }

    /** Connections the server closed. */
    int closed() {
        return closed.get();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client; all its state is owned by its channel's event loop. */
    private final class Client extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private long sentAt;
        private int n;
        private Duration pause;

        void next(Channel ch, Duration pause) {
            this.pause = pause;
            if (!running || !ch.isActive()) {
                return;
            }
            n++;
            sentAt = System.nanoTime();
            ch.writeAndFlush(new TextWebSocketFrame("42" + n + "[\"echo\"," + n + "]"));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            if (text.equals("2")) {
                pings.incrementAndGet();
                ctx.writeAndFlush(new TextWebSocketFrame("3"));
            } else if (text.startsWith("0{")) {
                ctx.writeAndFlush(new TextWebSocketFrame("40"));
            } else if (text.startsWith("40{")) {
                connected.countDown();
            } else if (text.startsWith("43" + n + "[")) {
                latencies.add(System.nanoTime() - sentAt);
                if (!text.equals("43" + n + "[" + n + "]")) {
                    errors.incrementAndGet();
                }
                ctx.executor().schedule(() -> next(ctx.channel(), pause), pause.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                errors.incrementAndGet();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (running) {
                closed.incrementAndGet();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.incrementAndGet();
            ctx.close();
        }
    }
}
