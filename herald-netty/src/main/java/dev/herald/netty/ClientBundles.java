package dev.herald.netty;

import java.util.List;

/**
 * The official socket.io client bundles this jar carries (socket.io-client 4.8's dist, copied at
 * build time), which {@link NettyServer} serves under its Engine.IO path and another transport may
 * serve the same way (herald-spring-boot-starter does on Spring MVC).
 */
public final class ClientBundles {

    /** Where the files are on the class path, to prefix to a name of {@link #FILES}. */
    public static final String RESOURCE_DIR = "dev/herald/client/";

    /** What Node's socket.io serves from its client-dist: the plain, msgpack-parser and ES module builds, with maps. */
    public static final List<String> FILES = List.of(
            "socket.io.js",
            "socket.io.min.js",
            "socket.io.js.map",
            "socket.io.min.js.map",
            "socket.io.msgpack.min.js",
            "socket.io.msgpack.min.js.map",
            "socket.io.esm.min.js",
            "socket.io.esm.min.js.map");

    private ClientBundles() {}
}
