package dev.herald.netty;

import dev.herald.engineio.CorsOptions;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.transport.CorsPolicy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
    /** The classpath folder served when the app names no static files of its own. */
    static final String DEFAULT_STATIC_CLASSPATH = "public/";

    private final String host;
    private final int requestedPort;
    private final int ioThreads;
    private final IoTransport ioTransport;
    private final ServerContext context;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final Duration headersTimeout;
    private final Optional<SslContext> sslContext;

    // Set by start() and cleared by close(); both on the caller's thread.
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private volatile int boundPort = -1;
    // Set by start(), on the caller's thread.
    private volatile IoTransport resolvedTransport;

    private NettyServer(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.ioThreads = b.ioThreads;
        this.ioTransport = b.ioTransport;
        this.maxInitialLineLength = b.maxInitialLineLength;
        this.maxHeaderSize = b.maxHeaderSize;
        this.headersTimeout = b.headersTimeout;
        this.sslContext = Optional.ofNullable(b.sslContext);
        this.context = new ServerContext(
                b.engine,
                b.path,
                new CorsPolicy(b.cors),
                new StaticFiles(
                        Optional.ofNullable(b.staticDirectory),
                        // public/ on the classpath unless the app names its own files, as Spring Boot does.
                        b.staticDirectory == null && b.staticClasspathPrefix == null
                                ? Optional.of(DEFAULT_STATIC_CLASSPATH)
                                : Optional.ofNullable(b.staticClasspathPrefix),
                        b.classLoader,
                        b.pages,
                        b.pageTypes,
                        b.mounts),
                b.serveClient,
                sslContext.isPresent(),
                b.classLoader);
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
        IoTransport io = ioTransport.resolve();
        bossGroup = new MultiThreadIoEventLoopGroup(1, io.handlerFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(ioThreads, io.handlerFactory());
        resolvedTransport = io;
        EngineIoOptions options = context.engine().options();
        // The engine reads the channel's writability for its slow-consumer policy.
        WriteBufferWaterMark mark =
                new WriteBufferWaterMark(options.writeBufferLowWaterMark(), options.writeBufferHighWaterMark());
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize);
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(io.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, mark)
                .childHandler(new ServerPipeline(context, sslContext, decoder, headersTimeout));
        try {
            serverChannel =
                    b.bind(new InetSocketAddress(host, requestedPort)).sync().channel();
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
        log.info(
                "Herald listening on {}://{}:{}{} ({})",
                sslContext.isPresent() ? "https" : "http",
                host,
                boundPort,
                context.path(),
                io.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return this;
    }

    /** The bound port (useful with port 0); -1 before {@link #start()}. */
    public int port() {
        return boundPort;
    }

    /** The I/O transport chosen at {@link #start()} (never {@code AUTO}); empty before it. */
    public Optional<IoTransport> ioTransport() {
        return Optional.ofNullable(resolvedTransport);
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
        private final Map<String, Supplier<byte[]>> pages = new LinkedHashMap<>();
        // Content types of the pages that are not HTML.
        private final Map<String, String> pageTypes = new LinkedHashMap<>();
        // Classpath folders served at URL folders of their own: URL folder -> classpath prefix.
        private final Map<String, String> mounts = new LinkedHashMap<>();
        private final Set<String> corsOrigins = new LinkedHashSet<>();
        private boolean corsCredentials;
        private CorsOptions cors;
        private int ioThreads;
        private IoTransport ioTransport = IoTransport.NIO;
        private ClassLoader classLoader = NettyServer.class.getClassLoader();
        private int maxInitialLineLength = 8192;
        private int maxHeaderSize = 16384;
        private Duration headersTimeout = Duration.ofSeconds(60);
        private SslContext sslContext;

        private Builder() {}

        /**
         * The longest request line (method, URL and version) accepted, in bytes; a longer one is
         * answered 414 and the connection closed. Default 8192.
         */
        public Builder maxInitialLineLength(int bytes) {
            this.maxInitialLineLength = bytes;
            return this;
        }

        /**
         * The most header bytes accepted in one request; more is answered 431 and the connection
         * closed. Default 16384, Node's {@code maxHeaderSize}.
         */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = bytes;
            return this;
        }

        /**
         * How long a new connection may take to send its first complete request head; after it,
         * the connection is answered 408 and closed (slowloris). Default 60 s, Node's
         * {@code server.headersTimeout}.
         */
        public Builder headersTimeout(Duration timeout) {
            this.headersTimeout = Objects.requireNonNull(timeout, "headersTimeout");
            return this;
        }

        /**
         * Serves HTTPS and {@code wss://} with this PEM certificate chain and PEM private key
         * (PKCS#8, unencrypted), through the JDK's TLS provider.
         */
        public Builder tls(Path certificateChainPem, Path privateKeyPem) {
            Objects.requireNonNull(certificateChainPem, "certificateChainPem");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            this.sslContext = TlsContexts.fromPem(certificateChainPem, privateKeyPem);
            return this;
        }

        /** Serves HTTPS and {@code wss://} with the key entry of this key store. */
        public Builder tls(KeyStore keyStore, char[] password) {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(password, "password");
            this.sslContext = TlsContexts.fromKeyStore(keyStore, password);
            return this;
        }

        /** Serves HTTPS and {@code wss://} with the key entry of this PKCS#12 (or JKS) file. */
        public Builder tls(Path keyStoreFile, char[] password) {
            Objects.requireNonNull(keyStoreFile, "keyStoreFile");
            Objects.requireNonNull(password, "password");
            this.sslContext = TlsContexts.fromKeyStoreFile(keyStoreFile, password);
            return this;
        }

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

        /**
         * Serves this HTML (UTF-8) at exactly this path, such as {@code "/"}, before any static file:
         * a page of a few lines needs no file of its own.
         */
        public Builder page(String path, String html) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(html, "html");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("page path must start with /, was " + path);
            }
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            pages.put(path, () -> bytes);
            return this;
        }

        /**
         * Serves what {@code body} returns at exactly this path, computed anew for each GET on a
         * virtual thread (it may block): a status page, or the text of a metrics scrape
         * ({@code page("/metrics", "text/plain; version=0.0.4; charset=utf-8", registry::scrape)}).
         */
        public Builder page(String path, String contentType, Supplier<String> body) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("page path must start with /, was " + path);
            }
            pages.put(path, () -> body.get().getBytes(StandardCharsets.UTF_8));
            pageTypes.put(path, contentType);
            return this;
        }

        /**
         * Serves the files under this directory for paths outside the Engine.IO path. Without this
         * or {@link #staticClasspath(String)}, the classpath folder {@code public/} is served (as
         * Spring Boot and Javalin apps keep their pages in {@code src/main/resources/public/}).
         */
        public Builder staticDirectory(Path directory) {
            this.staticDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Serves classpath resources under this prefix (such as {@code "web/"}) instead of the default
         * {@code "public/"}.
         */
        public Builder staticClasspath(String prefix) {
            this.staticClasspathPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Serves the classpath resources under {@code classpathPrefix} at the folder {@code urlPath}
         * (such as {@code "/admin-ui/"}), beside the other static files: a bundled web app, such as
         * the Admin UI's dashboard, at a path of its own.
         */
        public Builder staticClasspath(String urlPath, String classpathPrefix) {
            Objects.requireNonNull(urlPath, "urlPath");
            Objects.requireNonNull(classpathPrefix, "classpathPrefix");
            if (!urlPath.startsWith("/") || !urlPath.endsWith("/") || urlPath.length() < 3) {
                throw new IllegalArgumentException("urlPath must be a folder such as /admin-ui/, was " + urlPath);
            }
            mounts.put(urlPath, classpathPrefix.endsWith("/") ? classpathPrefix : classpathPrefix + "/");
            return this;
        }

        /**
         * Whether to serve {@code <path>socket.io.js}, {@code socket.io.min.js},
         * {@code socket.io.msgpack.min.js} (the client built with {@code socket.io-msgpack-parser},
         * for {@code Parser.msgpack()} servers), {@code socket.io.esm.min.js} and their maps from
         * the classpath folder {@code dev/herald/client/}, as Node does; default true. Missing
         * files answer 404.
         */
        public Builder serveClient(boolean serveClient) {
            this.serveClient = serveClient;
            return this;
        }

        /**
         * Who may use the Engine.IO path from a foreign origin, and the CORS headers sent: Node's
         * {@code cors} option (see {@link CorsOptions}). Default: same-origin only.
         */
        public Builder cors(CorsOptions options) {
            this.cors = Objects.requireNonNull(options, "cors");
            return this;
        }

        /**
         * Allows pages of these origins to use the Engine.IO path (polling and the WebSocket
         * upgrade), with CORS headers: exact origins such as {@code https://app.example.com}, or
         * patterns such as {@code https://*.example.com} (any subdomain). Without any, only
         * same-origin pages and non-browser clients (no Origin header) may connect. Shorthand for
         * {@link #cors(CorsOptions)} with {@link CorsOptions.Builder#origins}; use one or the other.
         */
        public Builder corsAllowedOrigins(String... origins) {
            for (String o : Objects.requireNonNull(origins, "origins")) {
                corsOrigins.add(Objects.requireNonNull(o, "origin"));
            }
            return this;
        }

        /**
         * Sends {@code Access-Control-Allow-Credentials: true} to allowed origins; default false.
         * Shorthand for {@link CorsOptions.Builder#credentials}; use one or {@link #cors(CorsOptions)}.
         */
        public Builder corsAllowCredentials(boolean allow) {
            this.corsCredentials = allow;
            return this;
        }

        /** How the server talks to the kernel; {@link IoTransport#NIO} by default. */
        public Builder ioTransport(IoTransport transport) {
            this.ioTransport = Objects.requireNonNull(transport, "transport");
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
            if (cors != null && (!corsOrigins.isEmpty() || corsCredentials)) {
                throw new IllegalArgumentException(
                        "cors: set either cors(CorsOptions) or corsAllowedOrigins/corsAllowCredentials, not both");
            }
            if (cors == null) {
                for (String o : corsOrigins) {
                    if (!o.equals("*")) {
                        CorsPolicy.validate(o, "corsAllowedOrigins");
                    }
                }
                cors = CorsOptions.builder()
                        .origins(corsOrigins.toArray(String[]::new))
                        .credentials(corsCredentials)
                        .build();
            }
            if (maxInitialLineLength < 256) {
                throw new IllegalArgumentException("maxInitialLineLength must be >= 256, was " + maxInitialLineLength);
            }
            if (maxHeaderSize < 1024) {
                throw new IllegalArgumentException("maxHeaderSize must be >= 1024, was " + maxHeaderSize);
            }
            if (headersTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("headersTimeout must be at least 1 ms, was " + headersTimeout);
            }
            this.path = p;
            return new NettyServer(this);
        }
    }
}
