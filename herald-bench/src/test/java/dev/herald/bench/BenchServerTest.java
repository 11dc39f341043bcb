package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.examples.fixtures.Transport;
import dev.herald.netty.IoTransport;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BenchServer's command line: its fixed set of options, and nothing else. */
class BenchServerTest {

    @Test
    void readsEveryOption() {
        BenchServer.Flags flags = BenchServer.Flags.parse(new String[] {
            "--port",
            "3001",
            "--recovery",
            "--log-recovery",
            "--per-message-deflate",
            "--io-threads",
            "2",
            "--io-transport",
            "io-uring",
            "--servlet",
            "jetty"
        });
        assertThat(flags)
                .isEqualTo(new BenchServer.Flags(
                        3001, true, true, true, 2, IoTransport.IO_URING, Optional.of(Transport.JETTY)));
    }

    @Test
    void refusesAnUnknownOptionOrABadValueNamingIt() {
        assertThatThrownBy(() -> BenchServer.Flags.parse(new String[] {"--recovry"}))
                .hasMessage("unknown option '--recovry'");
        assertThatThrownBy(() -> BenchServer.Flags.parse(new String[] {"--port", "x"}))
                .hasMessage("--port must be a whole number from 0 to 65535, got 'x'");
        assertThatThrownBy(() -> BenchServer.Flags.parse(new String[] {"--io-threads"}))
                .hasMessage("--io-threads needs a value");
        assertThatThrownBy(() -> BenchServer.Flags.parse(new String[] {"--servlet", "undertow"}))
                .hasMessage("--servlet must be tomcat or jetty, got 'undertow'");
    }
}
