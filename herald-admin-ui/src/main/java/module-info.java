/** The server side of the Socket.IO Admin UI, and its dashboard to serve at {@code /admin-ui/}. */
module dev.herald.admin {
    requires transitive dev.herald.socketio;
    requires spring.security.crypto;
    requires static lettuce.core;
    requires org.slf4j;

    exports dev.herald.admin;
}
