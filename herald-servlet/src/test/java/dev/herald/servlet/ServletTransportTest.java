package dev.herald.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's checks; the transport itself is tested in both containers by herald-examples' TransportTest. */
class ServletTransportTest {

    private static EngineIoServer engine() {
        return EngineIoServer.create(EngineIoOptions.builder().build(), socket -> new EngineSocketListener() {
            @Override
            public void onMessage(EngineSocket s, Message m) {}

            @Override
            public void onClose(EngineSocket s, CloseReason r, String d) {}
        });
    }

    @Test
    void thePathGetsItsSlashesAndDefaultsToSocketIo() {
        assertThat(ServletTransport.builder(engine()).build().path()).isEqualTo("/socket.io/");
        assertThat(ServletTransport.builder(engine()).path("realtime").build().path())
                .isEqualTo("/realtime/");
        assertThat(ServletTransport.builder(engine()).path("/a/b/").build().path())
                .isEqualTo("/a/b/");
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> ServletTransport.builder(engine()).path("/").build())
                .hasMessageContaining("path");
        assertThatThrownBy(
                        () -> ServletTransport.builder(engine()).path("/io/*").build())
                .hasMessageContaining("path");
        assertThatThrownBy(() -> ServletTransport.builder(engine()).loops(0).build())
                .hasMessageContaining("loops");
        assertThatThrownBy(() -> ServletTransport.builder(engine())
                        .shutdownTimeout(Duration.ofSeconds(-1))
                        .build())
                .hasMessageContaining("shutdownTimeout");
    }
}
