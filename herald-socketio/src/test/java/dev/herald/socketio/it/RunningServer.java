package dev.herald.socketio.it;

import dev.herald.netty.NettyServer;
import dev.herald.socketio.SocketIoServer;
import dev.herald.testing.SocketIoTestClient;
import java.net.URI;

/** A SocketIoServer behind a NettyServer on 127.0.0.1, port 0. */
final class RunningServer implements AutoCloseable {

    final SocketIoServer io;
    final NettyServer netty;

    RunningServer(SocketIoServer io) {
        this.io = io;
        this.netty = NettyServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(io.engine())
                .serveClient(false)
                .build()
                .start();
    }

    int port() {
        return netty.port();
    }

    URI uri(String nsp) {
        return URI.create("http://127.0.0.1:" + port() + nsp);
    }

    SocketIoTestClient.Builder client(String transport) {
        return SocketIoTestClient.builder(port()).transport(transport);
    }

    @Override
    public void close() {
        io.close();
        netty.close();
    }
}
