package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.EngineIoOptions;
import org.junit.jupiter.api.Test;

/** The limits' defaults and validation. */
class SocketIoOptionsTest {

    @Test
    void limitsHaveTheDocumentedDefaults() {
        SocketIoOptions o = SocketIoOptions.defaults();
        assertThat(o.maxAttachments()).isEqualTo(10);
        assertThat(o.maxAttachmentBytes()).isEqualTo(1_000_000);
        assertThat(o.maxNamespaceLength()).isEqualTo(256);
        assertThat(o.maxPendingAcks()).isEqualTo(1000);
        assertThat(o.maxPendingEvents()).isEqualTo(1000);
    }

    @Test
    void maxAttachmentBytesFollowsTheEngineBufferSizeUnlessSet() {
        EngineIoOptions engine =
                EngineIoOptions.builder().maxHttpBufferSize(5_000_000).build();
        assertThat(SocketIoOptions.builder().engine(engine).build().maxAttachmentBytes())
                .isEqualTo(5_000_000);
        assertThat(SocketIoOptions.builder()
                        .engine(engine)
                        .maxAttachmentBytes(10)
                        .build()
                        .maxAttachmentBytes())
                .isEqualTo(10);
        SocketIoOptions set = SocketIoOptions.builder().maxAttachmentBytes(10).build();
        assertThat(set.toBuilder().build().maxAttachmentBytes()).isEqualTo(10);
    }

    @Test
    void badLimitsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> SocketIoOptions.builder().maxAttachmentBytes(-1))
                .hasMessageContaining("maxAttachmentBytes");
        assertThatThrownBy(() -> SocketIoOptions.builder().maxNamespaceLength(0).build())
                .hasMessageContaining("maxNamespaceLength");
        assertThatThrownBy(() -> SocketIoOptions.builder().maxPendingAcks(0).build())
                .hasMessageContaining("maxPendingAcks");
    }
}
