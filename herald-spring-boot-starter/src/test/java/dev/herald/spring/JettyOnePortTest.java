package dev.herald.spring;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * {@link OnePortTest} on Jetty 12.1 (ee11), Boot 4's other servlet container: the same
 * application and checks, in the pom's "jetty" surefire run, whose class path has
 * spring-boot-starter-jetty and no Tomcat, as an application that swapped the two starters. The
 * WebSocket upgrades go through the Jakarta WebSocket container that Boot's Jetty
 * auto-configuration installs in the context.
 */
@Tag("jetty")
class JettyOnePortTest extends OnePortTest {

    @Override
    Class<? extends WebServer> expectedWebServer() {
        return JettyWebServer.class;
    }
}
