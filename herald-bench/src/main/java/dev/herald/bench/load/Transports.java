package dev.herald.bench.load;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The generator's Netty transport: native epoll where it loads (Linux x86-64), else NIO. Epoll
 * costs the generator less CPU per message, which is what decides whether it saturates first.
 */
final class Transports {
    private Transports() {}

    static boolean epoll() {
        return Epoll.isAvailable();
    }

    static String name() {
        return epoll() ? "epoll" : "nio";
    }

    static IoHandlerFactory ioHandler() {
        return epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    static Class<? extends SocketChannel> socketChannel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
