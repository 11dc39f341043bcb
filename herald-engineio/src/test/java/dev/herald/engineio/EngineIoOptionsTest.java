package dev.herald.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engineio.EngineIoOptions.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineIoOptionsTest {

    @Test
    void defaultsEqualTheJsReference() {
        EngineIoOptions o = EngineIoOptions.defaults();
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(o.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.upgradeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.maxHttpBufferSize()).isEqualTo(1_000_000);
        assertThat(o.transports()).containsExactlyInAnyOrder(Transport.POLLING, Transport.WEBSOCKET);
        assertThat(o.allowEio3()).isFalse();
    }

    @Test
    void singleTransportIsAllowed() {
        assertThat(EngineIoOptions.builder()
                        .transports(Transport.WEBSOCKET)
                        .build()
                        .allows("polling"))
                .isFalse();
        assertThat(EngineIoOptions.builder()
                        .transports(Transport.POLLING)
                        .build()
                        .allows("polling"))
                .isTrue();
    }

    @Test
    void invalidValuesAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() ->
                        EngineIoOptions.builder().pingInterval(Duration.ZERO).build())
                .hasMessageContaining("pingInterval");
        assertThatThrownBy(() -> EngineIoOptions.builder()
                        .pingTimeout(Duration.ofMillis(-1))
                        .build())
                .hasMessageContaining("pingTimeout");
        assertThatThrownBy(() ->
                        EngineIoOptions.builder().upgradeTimeout(Duration.ZERO).build())
                .hasMessageContaining("upgradeTimeout");
        assertThatThrownBy(() -> EngineIoOptions.builder().maxHttpBufferSize(0).build())
                .hasMessageContaining("maxHttpBufferSize");
        assertThatThrownBy(() -> EngineIoOptions.builder().transports().build()).hasMessageContaining("transports");
        assertThatThrownBy(() -> EngineIoOptions.builder().pingInterval(null)).hasMessageContaining("pingInterval");
    }

    @Test
    void hardeningDefaultsAreHeraldsOwnAndDocumented() {
        EngineIoOptions o = EngineIoOptions.defaults();
        assertThat(o.writeBufferHighWaterMark()).isEqualTo(1 << 20);
        assertThat(o.writeBufferLowWaterMark()).isEqualTo(1 << 19);
        assertThat(o.slowConsumerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.slowConsumerMaxBuffer()).isEqualTo(16L << 20);
        assertThat(o.maxSessionsPerAddress()).isZero();
    }

    @Test
    void invalidHardeningValuesAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() ->
                        EngineIoOptions.builder().writeBufferWaterMark(10, 5).build())
                .hasMessageContaining("writeBufferWaterMark");
        assertThatThrownBy(() ->
                        EngineIoOptions.builder().writeBufferWaterMark(0, 5).build())
                .hasMessageContaining("writeBufferWaterMark");
        assertThatThrownBy(() -> EngineIoOptions.builder()
                        .slowConsumerTimeout(Duration.ZERO)
                        .build())
                .hasMessageContaining("slowConsumerTimeout");
        assertThatThrownBy(() -> EngineIoOptions.builder()
                        .writeBufferWaterMark(10, 100)
                        .slowConsumerMaxBuffer(99)
                        .build())
                .hasMessageContaining("slowConsumerMaxBuffer");
        assertThatThrownBy(() ->
                        EngineIoOptions.builder().maxSessionsPerAddress(-1).build())
                .hasMessageContaining("maxSessionsPerAddress");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        EngineIoOptions o = EngineIoOptions.builder()
                .pingInterval(Duration.ofMillis(300))
                .maxHttpBufferSize(5)
                .transports(Transport.POLLING)
                .allowEio3(true)
                .writeBufferWaterMark(100, 200)
                .slowConsumerTimeout(Duration.ofSeconds(3))
                .slowConsumerMaxBuffer(400)
                .maxSessionsPerAddress(7)
                .build();
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
    }
}
