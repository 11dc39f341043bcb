/**
 * Socket.IO v5 on Herald's engine: the application API ({@code dev.herald.socketio} and its
 * {@code handler} and {@code annotation} packages), the parser SPI, and the adapter SPI that
 * scale-out plugs into. {@code internal} is not API; herald-redis reads its MessagePack codec.
 */
module dev.herald.socketio {
    requires transitive dev.herald.engineio;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.herald.socketio;
    exports dev.herald.socketio.adapter;
    exports dev.herald.socketio.annotation;
    exports dev.herald.socketio.handler;
    exports dev.herald.socketio.parser;
    exports dev.herald.socketio.internal to
            dev.herald.redis;
}
