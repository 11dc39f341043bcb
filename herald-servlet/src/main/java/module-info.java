/** Herald's engine inside a Jakarta Servlet 6 / Jakarta WebSocket 2.1 web application. */
module dev.herald.servlet {
    requires transitive dev.herald.engineio;
    requires transitive jakarta.servlet;
    requires transitive jakarta.websocket;
    requires org.slf4j;

    exports dev.herald.servlet;
}
