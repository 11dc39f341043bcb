package dev.herald.spring;

import dev.herald.admin.AdminUi;
import dev.herald.admin.AdminUiOptions;
import dev.herald.socketio.SocketIoServer;
import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code herald.admin-ui.enabled=true}: the Admin UI's namespace on the {@code SocketIoServer}, from
 * the {@code herald.admin-ui.*} properties, and its dashboard at {@code /admin-ui/} on Spring MVC
 * (the separate Netty port serves it itself, see {@link HeraldAutoConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(AdminUi.class)
@ConditionalOnProperty(prefix = "herald.admin-ui", name = "enabled", havingValue = "true")
class AdminUiConfiguration {

    /** Where the dashboard is served, on the application's port or on {@code herald.server.port}. */
    static final String DASHBOARD_PATH = "/admin-ui/";

    @Bean
    @ConditionalOnMissingBean
    public AdminUi heraldAdminUi(SocketIoServer io, HeraldProperties properties) {
        return AdminUi.instrument(io, options(properties.adminUi()));
    }

    static AdminUiOptions options(HeraldProperties.AdminUi p) {
        AdminUiOptions.Builder b = AdminUiOptions.builder()
                .namespace(p.namespace())
                .readonly(p.readonly())
                .mode(mode(p.mode()));
        if (!p.auth()) {
            b.noAuth();
        } else if (p.username() == null || p.passwordHash() == null) {
            throw new IllegalStateException("herald.admin-ui.enabled needs herald.admin-ui.username and"
                    + " herald.admin-ui.password-hash (a bcrypt hash), or herald.admin-ui.auth=false");
        } else {
            b.basicAuth(p.username(), p.passwordHash());
        }
        return b.build();
    }

    private static AdminUiOptions.Mode mode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "development" -> AdminUiOptions.Mode.DEVELOPMENT;
            case "production" -> AdminUiOptions.Mode.PRODUCTION;
            default ->
                throw new IllegalStateException("herald.admin-ui.mode must be development or production, was " + mode);
        };
    }

    /** The dashboard's files on Spring MVC, when Herald shares the application's port. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(WebMvcConfigurer.class)
    @ConditionalOnProperty(prefix = "herald.admin-ui", name = "dashboard", havingValue = "true", matchIfMissing = true)
    static class Dashboard implements WebMvcConfigurer {

        @Override
        public void addResourceHandlers(ResourceHandlerRegistry registry) {
            registry.addResourceHandler(DASHBOARD_PATH + "**")
                    .addResourceLocations("classpath:/" + AdminUi.DASHBOARD_CLASSPATH);
        }

        @Override
        public void addViewControllers(ViewControllerRegistry registry) {
            registry.addViewController(DASHBOARD_PATH).setViewName("forward:" + DASHBOARD_PATH + "index.html");
            registry.addRedirectViewController("/admin-ui", DASHBOARD_PATH);
        }
    }
}
