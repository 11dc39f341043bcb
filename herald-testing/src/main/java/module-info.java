/** Test clients that speak Engine.IO and Socket.IO on real sockets, and a Netty leak check. */
module dev.herald.testing {
    requires transitive dev.herald.engineio;
    requires transitive com.fasterxml.jackson.databind;
    requires static io.netty.buffer;
    requires static io.netty.common;
    requires static org.junit.jupiter.api;
    requires java.net.http;

    exports dev.herald.testing;
}
