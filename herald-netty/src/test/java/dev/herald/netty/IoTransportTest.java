package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.EngineIoTestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server on each I/O transport this machine has: the same protocol over each. */
class IoTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest
    @CsvSource({
        "NIO, polling", "NIO, websocket",
        "EPOLL, polling", "EPOLL, websocket",
        "IO_URING, polling", "IO_URING, websocket"
    })
    void echoesOverEveryTransport(IoTransport io, String transport) {
        try (TestServer server = TestServer.start(o -> o, b -> b.ioTransport(io));
                EngineIoTestClient c = EngineIoTestClient.builder(server.endpoint())
                        .transport(transport)
                        .connect()) {
            assertThat(server.server.ioTransport()).contains(io);
            c.sendMessage("hello over " + io);
            assertThat(c.nextMessage(WAIT).text()).isEqualTo("hello over " + io);
            if ("polling".equals(transport)) {
                c.upgrade();
            }
            c.sendMessage("again");
            assertThat(c.nextMessage(WAIT).text()).isEqualTo("again");
        }
    }

    @Test
    void nioIsTheDefault() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.server.ioTransport()).contains(IoTransport.NIO);
        }
    }

    @Test
    void autoTakesEpollOnLinuxAndSaysWhichItTook() {
        try (TestServer server = TestServer.start(o -> o, b -> b.ioTransport(IoTransport.AUTO))) {
            IoTransport expected =
                    System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch"))
                            ? IoTransport.EPOLL
                            : IoTransport.NIO;
            assertThat(server.server.ioTransport()).contains(expected);
        }
    }
}
