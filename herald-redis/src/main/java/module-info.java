/** Scale-out on Redis: adapters and an emitter, wire-compatible with Node's. */
module dev.herald.redis {
    requires transitive dev.herald.socketio;
    requires lettuce.core;
    requires io.netty.transport;
    requires reactor.core;
    requires org.slf4j;

    exports dev.herald.redis;
}
