package dev.herald.examples;

import java.util.Map;
import java.util.Optional;

/** Starts the demo app in-process on 127.0.0.1, port 0. */
final class TestDemo {

    private TestDemo() {}

    /** The demo app with these extra settings (such as {@code tutorial-work-ms}). */
    static DemoApp start(Map<String, String> extra) {
        return DemoApp.start(new ServerConfig("127.0.0.1", 0, false, Optional.empty(), extra));
    }

    /** The app's base URL, ending with a slash. */
    static String url(DemoApp app) {
        return "http://127.0.0.1:" + app.port() + "/";
    }
}
