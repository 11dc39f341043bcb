package dev.herald.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * How the embedded server talks to the kernel. {@link #NIO}, the default, runs everywhere;
 * {@link #AUTO} takes Linux's native epoll when it loads (Linux on x86-64) and NIO elsewhere;
 * {@link #EPOLL} and {@link #IO_URING} force one, and {@code start()} fails when the forced one is
 * not available here.
 */
public enum IoTransport {
    /** epoll where available, else NIO. */
    AUTO,
    /** Java NIO selectors: every platform. */
    NIO,
    /** Linux epoll, through Netty's native library (x86-64). */
    EPOLL,
    /** Linux io_uring, through Netty's native library (x86-64, a kernel with io_uring enabled). */
    IO_URING;

    /** The transport this one stands for here: AUTO picks, the others check they can run. */
    IoTransport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case NIO -> NIO;
            case EPOLL -> {
                Epoll.ensureAvailability();
                yield EPOLL;
            }
            case IO_URING -> {
                IoUring.ensureAvailability();
                yield IO_URING;
            }
        };
    }

    IoHandlerFactory handlerFactory() {
        return switch (this) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case AUTO, NIO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case AUTO, NIO -> NioServerSocketChannel.class;
        };
    }
}
