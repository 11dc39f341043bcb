package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.redis.RedisAdapter;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.AdapterFactory;
import dev.herald.socketio.adapter.InMemoryAdapter;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each condition of {@link HeraldAutoConfiguration}, on contexts without a server. */
class HeraldAutoConfigurationTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class));

    private final WebApplicationContextRunner web =
            new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(HeraldAutoConfiguration.class));

    @Nested
    class Properties {

        @Test
        void defaultsAreTheReferenceDefaults() {
            runner.run(ctx -> {
                EngineIoOptions engine =
                        ctx.getBean(SocketIoServer.class).options().engine();
                assertThat(engine.pingInterval()).isEqualTo(Duration.ofSeconds(25));
                assertThat(engine.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
                assertThat(engine.maxHttpBufferSize()).isEqualTo(1_000_000);
                assertThat(engine.allowEio3()).isFalse();
                assertThat(ctx.getBean(HeraldProperties.class).serveClient()).isTrue();
                assertThat(ctx.getBean(SocketIoServer.class).options().connectionStateRecovery())
                        .isEmpty();
                assertThat(ctx.getBean(HeraldProperties.class).path()).isEqualTo("/socket.io/");
            });
        }

        @Test
        void durationsAndDataSizesBindIntoTheServerOptions() {
            runner.withPropertyValues(
                            "herald.ping-interval=3s",
                            "herald.ping-timeout=1500ms",
                            "herald.max-http-buffer-size=64KB",
                            "herald.allow-eio3=true",
                            "herald.recovery.enabled=true",
                            "herald.recovery.max-disconnection-duration=30s",
                            "herald.cors.allowed-origins=https://app.example.com,https://*.example.org")
                    .run(ctx -> {
                        SocketIoOptions options =
                                ctx.getBean(SocketIoServer.class).options();
                        assertThat(options.engine().pingInterval()).isEqualTo(Duration.ofSeconds(3));
                        assertThat(options.engine().pingTimeout()).isEqualTo(Duration.ofMillis(1500));
                        assertThat(options.engine().maxHttpBufferSize()).isEqualTo(64 * 1024);
                        assertThat(options.engine().allowEio3()).isTrue();
                        assertThat(options.connectionStateRecovery())
                                .hasValueSatisfying(r ->
                                        assertThat(r.maxDisconnectionDuration()).isEqualTo(Duration.ofSeconds(30)));
                        assertThat(HeraldAutoConfiguration.cors(ctx.getBean(HeraldProperties.class))
                                        .origins())
                                .containsExactlyInAnyOrder("https://app.example.com", "https://*.example.org");
                    });
        }

        @Test
        void aBufferSizeBeyondAnIntFailsNamingTheProperty() {
            runner.withPropertyValues("herald.max-http-buffer-size=3GB")
                    .run(ctx -> assertThat(ctx)
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining("herald.max-http-buffer-size"));
        }

        @Test
        void theShutdownPhaseTimeoutLessAMarginIsTheHandlersGrace() {
            runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=5s")
                    .run(ctx -> assertThat(ctx.getBean(HeraldLifecycle.class).grace())
                            .isEqualTo(Duration.ofSeconds(4)));
        }
    }

    @Nested
    class Beans {

        @Test
        void anApplicationsOwnServerReplacesHeralds() {
            SocketIoServer own = SocketIoServer.create();
            runner.withBean(SocketIoServer.class, () -> own)
                    .run(ctx -> assertThat(ctx.getBean(SocketIoServer.class)).isSameAs(own));
        }

        @Test
        void anApplicationsAdapterFactoryIsTheOneTheServerUses() {
            runner.withUserConfiguration(OwnAdapter.class).run(ctx -> {
                assertThat(ctx).getBeans(AdapterFactory.class).hasSize(1);
                assertThat(ctx.getBean(SocketIoServer.class).options().adapterFactory())
                        .isSameAs(ctx.getBean(AdapterFactory.class));
            });
        }
    }

    @Nested
    class Port {

        @Test
        void aServletApplicationGetsTheTransportOnItsOwnPort() {
            web.run(ctx -> assertThat(ctx).hasSingleBean(ServletContextInitializer.class));
        }

        @Test
        void aSeparatePortTakesTheTransportOffTheApplicationsPort() {
            web.withPropertyValues("herald.server.port=0", "herald.server.host=127.0.0.1")
                    .run(ctx -> assertThat(ctx).doesNotHaveBean(ServletContextInitializer.class));
        }

        @Test
        void aNonWebApplicationGetsNoServletTransport() {
            runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ServletContextInitializer.class));
        }
    }

    @Nested
    class Redis {

        @Test
        void enabledWithoutSpringDataRedisFailsInsteadOfStayingInMemory() {
            runner.withPropertyValues("herald.redis.enabled=true")
                    .withClassLoader(new FilteredClassLoader(DataRedisConnectionDetails.class))
                    .run(ctx -> assertThat(ctx)
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining("spring-boot-starter-data-redis"));
        }

        @Test
        void notEnabledKeepsTheInMemoryAdapterEvenWithRedisAround() {
            runner.run(ctx -> assertThat(ctx).doesNotHaveBean(RedisAdapter.Factory.class));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAdapter {
        @Bean
        AdapterFactory ownAdapterFactory() {
            return InMemoryAdapter::new;
        }
    }
}
