/** The embedded server: Herald's engine on Netty, with static files and the client bundle. */
module dev.herald.netty {
    requires transitive dev.herald.engineio;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.compression;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires org.slf4j;

    exports dev.herald.netty;
}
