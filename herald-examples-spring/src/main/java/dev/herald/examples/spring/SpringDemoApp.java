package dev.herald.examples.spring;

import dev.herald.admin.AdminUi;
import dev.herald.examples.DemoApp;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * herald-examples' demos in a Spring Boot application: the tutorial, progress and chat handlers
 * and their pages, Socket.IO and Spring MVC on one port (Tomcat's), Actuator's health (with the
 * {@code socketio} component) and Prometheus endpoints beside them. {@code ./herald demo --spring}
 * runs it; {@code application.properties} holds its settings.
 *
 * <p>Arguments are Spring Boot's ({@code --server.port=N}, any {@code --herald.*} property), plus
 * {@code --admin-password PW}, which turns the Admin UI on as {@code ./herald demo} does: user
 * {@code admin}, development mode, the dashboard at {@code /admin-ui/}.
 */
@SpringBootApplication
public class SpringDemoApp {

    /** Starts the application; Ctrl-C stops it through Boot's graceful shutdown. */
    public static void main(String[] args) {
        SpringApplication.run(SpringDemoApp.class, bootArguments(args));
    }

    /** {@code --admin-password PW} (or {@code =PW}) as the herald.admin-ui properties, the rest as given. */
    static String[] bootArguments(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String password = null;
            if (args[i].equals("--admin-password")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--admin-password needs a value");
                }
                password = args[++i];
            } else if (args[i].startsWith("--admin-password=")) {
                password = args[i].substring("--admin-password=".length());
            }
            if (password == null) {
                out.add(args[i]);
            } else {
                out.add("--herald.admin-ui.enabled=true");
                out.add("--herald.admin-ui.username=admin");
                out.add("--herald.admin-ui.password-hash=" + AdminUi.hashPassword(password));
            }
        }
        return out.toArray(String[]::new);
    }

    /**
     * The demos' handlers, on the auto-configured server before the web server takes connections.
     * A {@code String} bean only so that this runs as part of the context's start.
     */
    @Bean
    String heraldDemos(
            SocketIoServer io,
            @Value("${demo.tutorial-work:5s}") Duration tutorialWork,
            @Value("${demo.progress-job:5s}") Duration progressJob) {
        DemoApp.registerDemos(io, tutorialWork, progressJob);
        return "tutorial, progress, chat";
    }

    /** Each demo's folder answers with its index.html, as {@code ./herald demo}'s static files do. */
    @Bean
    WebMvcConfigurer demoPages() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                for (String page : List.of("tutorial", "tutorial-1x", "progress", "chat")) {
                    registry.addViewController("/" + page + "/").setViewName("forward:/" + page + "/index.html");
                    registry.addRedirectViewController("/" + page, "/" + page + "/");
                }
            }
        };
    }
}
