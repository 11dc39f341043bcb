/**
 * Scale-out over Redis, wire-compatible with Node's {@code @socket.io/redis-adapter} 8.3 (classic
 * pub/sub flavour) and {@code @socket.io/redis-emitter} 5.x.
 *
 * <ul>
 *   <li>{@link dev.herald.redis.RedisAdapter}: plug into {@code SocketIoOptions.adapterFactory} so
 *       that broadcasts, {@code fetchSockets}, {@code socketsJoin}/{@code socketsLeave},
 *       {@code disconnectSockets}, {@code serverSideEmit} and broadcast acks span every node, Herald
 *       or Node.
 *   <li>{@link dev.herald.redis.RedisEmitter}: emit to the clients of a cluster from any Java process
 *       that runs no Socket.IO server.
 * </ul>
 *
 * <p>Channels: {@code <key>#<nsp>#} and {@code <key>#<nsp>#<room>#} for broadcasts (msgpack),
 * {@code <key>-request#<nsp>#} for requests (JSON; msgpack for broadcasts with acks) and {@code
 * <key>-response#<nsp>#} for answers. The key is {@code socket.io} unless configured.
 */
package dev.herald.redis;
