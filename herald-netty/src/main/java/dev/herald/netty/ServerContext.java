package dev.herald.netty;

import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.transport.CorsPolicy;

/** What the per-channel handlers need from their {@link NettyServer}; immutable. */
record ServerContext(
        EngineIoServer engine,
        String path,
        CorsPolicy cors,
        StaticFiles staticFiles,
        boolean serveClient,
        boolean secure,
        ClassLoader classLoader) {}
