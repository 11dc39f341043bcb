package dev.herald.examples.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@link SpringDemoApp} started as its main method starts it, on a free port of 127.0.0.1, with short demos. */
final class TestApp {

    private TestApp() {}

    static ConfigurableApplicationContext start(Duration tutorialWork, Duration progressJob, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--demo.tutorial-work=" + tutorialWork.toMillis() + "ms",
                "--demo.progress-job=" + progressJob.toMillis() + "ms"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(SpringDemoApp.class)
                .run(SpringDemoApp.bootArguments(args.toArray(String[]::new)));
    }

    static int port(ConfigurableApplicationContext app) {
        return app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
