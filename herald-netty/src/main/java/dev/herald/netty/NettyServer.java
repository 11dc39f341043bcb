package dev.herald.netty;

import dev.herald.engineio.EngineIoServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP + WebSocket server: one port that serves the Engine.IO path (long-polling and
 * WebSocket), the Socket.IO client bundle, and the application's static files.
 *
 * <pre>{@code
 * NettyServer server = NettyServer.builder()
 *         .port(3000)
 *         .engine(engineIoServer)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Threading: {@link #start()} and {@link #close()} may be called from any thread but not
 * concurrently with each other.
 */
public final class NettyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NettyServer.class);

    private final String host;
    private final int requestedPort;
    private final int ioThreads;
    private final ServerContext context;

    // Set by start() and cleared by close(); both on the caller's thread.
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private volatile int boundPort = -1;

    private NettyServer(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.ioThreads = b.ioThreads;
        this.context = new ServerContext(b.engine, b.path,
                new CorsPolicy(b.corsOrigins, b.corsCredentials),
                new StaticFiles(Optional.ofNullable(b.staticDirectory), Optional.ofNullable(b.staticClasspathPrefix),
                        b.classLoader),
                b.serveClient, false, b.classLoader);
    }

    /** A builder with the defaults: host 0.0.0.0, port 3000, path {@code /socket.io/}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts accepting connections; returns this. */
    public NettyServer start() {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        int max = context.engine().options().maxHttpBufferSize();
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregator", new EngineAggregator(context, max))
                                .addLast("router", new HttpRouter(context));
                    }
                });
        try {
            serverChannel = b.bind(new InetSocketAddress(host, requestedPort)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownGroups();
            throw new IllegalStateException("interrupted while binding " + host + ":" + requestedPort, e);
        } catch (Exception e) {
            // sync() rethrows checked exceptions such as BindException without declaring them
            shutdownGroups();
            throw new IllegalStateException("cannot bind " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.info("Herald listening on {}:{}{}", host, boundPort, context.path());
        return this;
    }

    /** The bound port (useful with port 0); -1 before {@link #start()}. */
    public int port() {
        return boundPort;
    }

    /** The host this server binds. */
    public String host() {
        return host;
    }

    /** The Engine.IO path, such as {@code /socket.io/}. */
    public String path() {
        return context.path();
    }

    /** The mounted engine. */
    public EngineIoServer engine() {
        return context.engine();
    }

    /**
     * Closes every session ({@code server shutting down}), releases the port and stops the event
     * loop threads. Waits until done.
     */
    @Override
    public void close() {
        if (serverChannel == null) {
            return;
        }
        context.engine().close();
        try {
            serverChannel.close().sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        serverChannel = null;
        shutdownGroups();
        boundPort = -1;
    }

    private void shutdownGroups() {
        try {
            if (workerGroup != null) {
                workerGroup.shutdownGracefully(100, 3000, TimeUnit.MILLISECONDS).sync();
            }
            if (bossGroup != null) {
                bossGroup.shutdownGracefully(0, 1000, TimeUnit.MILLISECONDS).sync();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workerGroup = null;
        bossGroup = null;
    }

    /** Builds a {@link NettyServer}; {@link #build()} validates the settings. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 3000;
        private String path = "/socket.io/";
        private EngineIoServer engine;
        private Path staticDirectory;
        private String staticClasspathPrefix;
        private boolean serveClient = true;
        private final Set<String> corsOrigins = new LinkedHashSet<>();
        private boolean corsCredentials;
        private int ioThreads;
        private ClassLoader classLoader = NettyServer.class.getClassLoader();

        private Builder() {}

        /** The address to bind; default {@code 0.0.0.0} (all interfaces). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 picks a free one (read it back with {@link NettyServer#port()}). Default 3000. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The Engine.IO path; default {@code /socket.io/}. A trailing slash is added if missing. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The engine to mount on {@link #path(String)}. Required. */
        public Builder engine(EngineIoServer engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Serves the files under this directory for paths outside the Engine.IO path. */
        public Builder staticDirectory(Path directory) {
            this.staticDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Serves classpath resources under this prefix (such as {@code "public/"}). */
        public Builder staticClasspath(String prefix) {
            this.staticClasspathPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Whether to serve {@code <path>socket.io.js}, {@code socket.io.min.js} and their maps from
         * the classpath folder {@code dev/herald/client/}; default true. Missing files answer 404.
         */
        public Builder serveClient(boolean serveClient) {
            this.serveClient = serveClient;
            return this;
        }

        /**
         * Allows pages of these exact origins (such as {@code https://app.example.com}) to use the
         * Engine.IO path, with CORS headers. Without any, only same-origin pages and non-browser
         * clients may connect.
         */
        public Builder corsAllowedOrigins(String... origins) {
            for (String o : Objects.requireNonNull(origins, "origins")) {
                corsOrigins.add(Objects.requireNonNull(o, "origin"));
            }
            return this;
        }

        /** Sends {@code Access-Control-Allow-Credentials: true} to allowed origins; default false. */
        public Builder corsAllowCredentials(boolean allow) {
            this.corsCredentials = allow;
            return this;
        }

        /** The number of I/O event loop threads; 0 (default) means Netty's default (2 × cores). */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** The class loader for classpath static files and the client bundle. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Validates and builds the (not yet started) server. */
        public NettyServer build() {
            if (engine == null) {
                throw new IllegalStateException("engine is required");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads must be >= 0, was " + ioThreads);
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            String p = path.startsWith("/") ? path : "/" + path;
            if (!p.endsWith("/")) {
                p = p + "/";
            }
            if (p.length() < 2) {
                throw new IllegalArgumentException("path must not be the root, was " + path);
            }
            for (String o : corsOrigins) {
                if (o.isBlank() || o.endsWith("/") || !o.contains("://")) {
                    throw new IllegalArgumentException("corsAllowedOrigins entries must look like scheme://host[:port], was " + o);
                }
            }
            this.path = p;
            return new NettyServer(this);
        }
    }
}
