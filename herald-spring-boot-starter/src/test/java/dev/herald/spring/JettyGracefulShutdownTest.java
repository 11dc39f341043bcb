package dev.herald.spring;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * {@link GracefulShutdownTest} on Jetty 12.1 (ee11), in the pom's "jetty" surefire run (no Tomcat
 * on the class path). As on Tomcat, Herald's lifecycle must stop before Boot's graceful shutdown
 * of the web server, which would otherwise wait its whole phase for the parked poll and the
 * WebSocket: with Herald's phase moved below the web server's, the stop here takes longer than
 * the phase timeout and the first test fails.
 */
@Tag("jetty")
class JettyGracefulShutdownTest extends GracefulShutdownTest {

    @Override
    Class<? extends WebServer> expectedWebServer() {
        return JettyWebServer.class;
    }
}
