package dev.herald.spring;

import dev.herald.admin.AdminUi;
import dev.herald.engineio.CorsOptions;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.micrometer.HeraldMetrics;
import dev.herald.netty.NettyServer;
import dev.herald.servlet.ServletTransport;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.adapter.AdapterFactory;
import dev.herald.socketio.adapter.InMemoryAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Herald in a Spring Boot application: a {@link SocketIoServer} configured from
 * {@link HeraldProperties}, served on the servlet application's own port (or on
 * {@code herald.server.port}), with the {@code @SocketNamespace} beans registered and a graceful
 * stop inside Boot's shutdown.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(SocketIoServer.class)
@EnableConfigurationProperties(HeraldProperties.class)
@Import({RedisAdapterConfiguration.class, AdminUiConfiguration.class})
public class HeraldAutoConfiguration {

    /** Boot's own default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    static final Duration DEFAULT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

    /**
     * The adapter of every namespace: in memory, Redis with {@code herald.redis.enabled}, or
     * yours if you declare one.
     */
    @Bean
    @ConditionalOnMissingBean
    public AdapterFactory heraldAdapterFactory(HeraldProperties properties) {
        // Reached with herald.redis.enabled only when RedisAdapterConfiguration did not apply.
        if (properties.redis().enabled()) {
            throw new IllegalStateException("herald.redis.enabled=true needs herald-redis and"
                    + " spring-boot-starter-data-redis on the class path");
        }
        return InMemoryAdapter::new;
    }

    /** The server, built from {@code herald.*}; declare your own to take over entirely. */
    @Bean
    @ConditionalOnMissingBean
    public SocketIoServer socketIoServer(HeraldProperties properties, AdapterFactory adapterFactory) {
        return SocketIoServer.create(options(properties, adapterFactory));
    }

    /** Registers the {@code @SocketNamespace} beans and publishes connects and disconnects as events. */
    @Bean
    public HandlerBeans heraldHandlerBeans(SocketIoServer io, ApplicationContext context) {
        return new HandlerBeans(io, context);
    }

    @Bean
    public HeraldLifecycle heraldLifecycle(SocketIoServer io, HeraldProperties properties, Environment environment) {
        Duration phase = Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(DEFAULT_SHUTDOWN_PHASE);
        Optional<NettyServer> separate = properties
                .server()
                .separatePort()
                .map(port -> NettyServer.builder()
                        .host(properties.server().host())
                        .port(port)
                        .path(properties.path())
                        .cors(cors(properties))
                        .serveClient(properties.serveClient())
                        .engine(io.engine()))
                .map(b -> adminDashboard(properties)
                        ? b.staticClasspath(AdminUiConfiguration.DASHBOARD_PATH, AdminUi.DASHBOARD_CLASSPATH)
                        : b)
                .map(NettyServer.Builder::build);
        return new HeraldLifecycle(io, separate, phase);
    }

    /** Whether the separate port serves the Admin UI's dashboard (the constant is inlined: no class is loaded). */
    private static boolean adminDashboard(HeraldProperties properties) {
        return properties.adminUi().enabled()
                && properties.adminUi().dashboard()
                && ClassUtils.isPresent("dev.herald.admin.AdminUi", HeraldAutoConfiguration.class.getClassLoader());
    }

    /** The {@code socketio} health component, with Actuator (spring-boot-health) on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnEnabledHealthIndicator("socketio")
        @ConditionalOnMissingBean(name = "socketioHealthIndicator")
        public HeraldHealthIndicator socketioHealthIndicator(
                SocketIoServer io, HeraldLifecycle lifecycle, AdapterFactory adapterFactory) {
            return new HeraldHealthIndicator(io, lifecycle, adapterFactory);
        }
    }

    /**
     * Herald's meters ({@code docs/operations.md}) in the application's registries, with
     * herald-micrometer on the class path: Boot binds every {@code MeterBinder} bean.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HeraldMetrics.class, MeterRegistry.class})
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        public HeraldMetrics heraldMetrics(SocketIoServer io) {
            return HeraldMetrics.of(io);
        }
    }

    /** Socket.IO on the servlet application's own port, unless {@code herald.server.port} is set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({ServletTransport.class, ServletContextInitializer.class})
    @Conditional(OnSharedPortCondition.class)
    static class SharedPort {

        @Bean
        public ServletContextInitializer heraldServletTransport(SocketIoServer io, HeraldProperties properties) {
            ServletTransport transport = ServletTransport.builder(io.engine())
                    .path(properties.path())
                    .cors(cors(properties))
                    .build();
            return context -> {
                transport.install(context);
                if (properties.serveClient()) {
                    ClientBundleServlet.install(context, transport.path());
                }
            };
        }
    }

    static SocketIoOptions options(HeraldProperties properties, AdapterFactory adapterFactory) {
        long maxBuffer = properties.maxHttpBufferSize().toBytes();
        if (maxBuffer < 1 || maxBuffer > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "herald.max-http-buffer-size must be 1B..2GB, was " + properties.maxHttpBufferSize());
        }
        SocketIoOptions.Builder b = SocketIoOptions.builder()
                .adapterFactory(adapterFactory)
                .engine(EngineIoOptions.builder()
                        .pingInterval(properties.pingInterval())
                        .pingTimeout(properties.pingTimeout())
                        .maxHttpBufferSize((int) maxBuffer)
                        .allowEio3(properties.allowEio3())
                        .build());
        HeraldProperties.Recovery recovery = properties.recovery();
        if (recovery.enabled()) {
            b.connectionStateRecovery(recovery.maxDisconnectionDuration(), recovery.skipMiddlewares());
        }
        return b.build();
    }

    static CorsOptions cors(HeraldProperties properties) {
        HeraldProperties.Cors cors = properties.cors();
        if (cors.allowedOrigins().isEmpty()) {
            return CorsOptions.sameOriginOnly();
        }
        return CorsOptions.builder()
                .origins(cors.allowedOrigins().toArray(String[]::new))
                .credentials(cors.allowCredentials())
                .build();
    }
}
