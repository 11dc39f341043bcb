package dev.herald.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of the benchmark: a Netty WebSocket server that answers the generator's frames with
 * the bytes a Socket.IO server would send, and does nothing else. No Engine.IO session, no parser,
 * no rooms beyond one set of channels, no polling. What Herald costs above this is the price of
 * its Socket.IO machinery.
 *
 * <p>It sends the open packet, answers {@code 40} with {@code 40{"sid":...}}, acks
 * {@code 42<id>["echo",...]} with {@code 43<id>[...]}, adds a channel to the room on
 * {@code join} (acking it if asked), writes the same {@code tick} bytes to every joined channel on
 * {@code bcast}, and pings every 25 s.
 *
 * <p>By default every answer is flushed as it is written, one syscall per frame, as the issue's
 * yardstick does. With {@code --batch-flush} (run.sh's {@code raw-batched}) answers are written
 * as frames arrive and flushed once per read, as a server tuned by hand does: the true floor for
 * echo, where many frames arrive in one read.
 *
 * <p>Usage: {@code RawNettyServer [--port N] [--batch-flush]} (port 0, the default, picks a free
 * port); prints {@code LISTENING <port>} once bound. Tests start it in-process with
 * {@link #start(int)}.
 */
public final class RawNettyServer {
    private static final long PING_INTERVAL_MS = 25_000;
    private static final byte[] CONNECT = ascii("40");
    private static final byte[] EVENT = ascii("42");
    private static final byte[] ACK = ascii("43");
    private static final byte[] EMPTY_ARGS = ascii("[]");
    private static final byte[] ECHO = ascii("[\"echo\"");
    private static final byte[] JOIN = ascii("[\"join\"");
    private static final byte[] BCAST = ascii("[\"bcast\"");
    private static final byte[] TICK = ascii("42[\"tick\"");

    /** The joined channels; a channel leaves when it closes. Shared by all event loops. */
    private final Set<Channel> room = ConcurrentHashMap.newKeySet();

    private final AtomicLong ids = new AtomicLong();
    // NIO with Netty's default thread count, as Herald's NettyServer and netty-socketio run: the
    // difference to them is then their Socket.IO machinery, not the transport.
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final boolean batchFlush;
    private Channel channel;

    private RawNettyServer(boolean batchFlush) {
        this.batchFlush = batchFlush;
    }

    /** Starts the server and blocks until the process is killed. */
    public static void main(String[] args) throws Exception {
        RawNettyServer server = start(ServerArgs.port(args), Arrays.asList(args).contains("--batch-flush"));
        ServerArgs.announce(server.port());
        server.channel.closeFuture().sync();
    }

    /** Binds 127.0.0.1:{@code port} (0 for a free port) and serves until {@link #close()}. */
    public static RawNettyServer start(int port) throws InterruptedException {
        return start(port, false);
    }

    /** As {@link #start(int)}; {@code batchFlush} flushes once per read instead of once per frame. */
    public static RawNettyServer start(int port, boolean batchFlush) throws InterruptedException {
        RawNettyServer server = new RawNettyServer(batchFlush);
        try {
            server.bind(port);
        } catch (Exception e) { // sync() rethrows a BindException undeclared
            // Netty's threads would keep the JVM alive with nothing to serve.
            server.boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            server.workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return server;
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops listening and closes every connection. */
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void bind(int port) throws InterruptedException {
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/socket.io/")
                .checkStartsWith(true)
                .maxFramePayloadLength(1 << 20)
                .build();
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(1 << 16),
                                        new WebSocketServerProtocolHandler(ws),
                                        new Session());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port))
                .sync()
                .channel();
    }

    /** One connection; its fields are owned by the channel's event loop. */
    private final class Session extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private ScheduledFuture<?> pings;
        private String sid;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                sid = Long.toString(ids.incrementAndGet(), 36);
                ctx.writeAndFlush(new TextWebSocketFrame("0{\"sid\":\"" + sid
                        + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                        + "\"maxPayload\":1000000}"));
                pings = ctx.executor()
                        .scheduleAtFixedRate(
                                () -> ctx.writeAndFlush(new TextWebSocketFrame("2")),
                                PING_INTERVAL_MS,
                                PING_INTERVAL_MS,
                                TimeUnit.MILLISECONDS);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ByteBuf in = frame.content();
            int at = in.readerIndex();
            if (in.readableBytes() == 2 && matches(in, at, CONNECT)) {
                ctx.writeAndFlush(new TextWebSocketFrame("40{\"sid\":\"" + sid + "\"}"));
            } else if (in.readableBytes() > 2 && matches(in, at, EVENT)) {
                event(ctx, in);
            }
            // "3" (pong) and anything else: nothing to do
        }

        /**
         * {@code 42[id]["name",args...]}: finds the id and the event name in the bytes and answers
         * with pooled buffers, without a string in between, as a server tuned by hand would.
         */
        private void event(ChannelHandlerContext ctx, ByteBuf in) {
            int idStart = in.readerIndex() + 2;
            int end = in.writerIndex();
            int name = idStart;
            while (name < end && in.getByte(name) >= '0' && in.getByte(name) <= '9') {
                name++;
            }
            int idLength = name - idStart;
            if (matches(in, name, ECHO)) {
                int args = name + ECHO.length;
                ByteBuf ack = ctx.alloc().buffer(end - idStart + 4);
                ack.writeBytes(ACK).writeBytes(in, idStart, idLength);
                if (args < end && in.getByte(args) == ',') {
                    ack.writeByte('[').writeBytes(in, args + 1, end - args - 1);
                } else {
                    ack.writeBytes(EMPTY_ARGS);
                }
                answer(ctx, new TextWebSocketFrame(ack));
            } else if (matches(in, name, JOIN)) {
                Channel ch = ctx.channel();
                if (room.add(ch)) {
                    ch.closeFuture().addListener(f -> room.remove(ch));
                }
                if (idLength > 0) {
                    ByteBuf ack = ctx.alloc().buffer(idLength + 4);
                    ack.writeBytes(ACK).writeBytes(in, idStart, idLength).writeBytes(EMPTY_ARGS);
                    answer(ctx, new TextWebSocketFrame(ack));
                }
            } else if (matches(in, name, BCAST)) {
                int args = name + BCAST.length;
                ByteBuf tick = ctx.alloc().buffer(TICK.length + end - args);
                tick.writeBytes(TICK).writeBytes(in, args, end - args);
                TextWebSocketFrame frame = new TextWebSocketFrame(tick);
                try {
                    for (Channel ch : room) {
                        ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
                    }
                } finally {
                    frame.release();
                }
            }
        }

        private void answer(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            if (batchFlush) {
                ctx.write(frame, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(frame, ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (batchFlush) {
                ctx.flush();
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (pings != null) {
                pings.cancel(false);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code buf} holds {@code expected} at absolute index {@code at}. */
    private static boolean matches(ByteBuf buf, int at, byte[] expected) {
        if (at + expected.length > buf.writerIndex()) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf.getByte(at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
