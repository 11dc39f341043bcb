/**
 * Herald's Socket.IO v5 server API: {@link dev.herald.socketio.SocketIoServer},
 * {@link dev.herald.socketio.Namespace}, {@link dev.herald.socketio.Socket},
 * {@link dev.herald.socketio.BroadcastOperator}, and the {@link dev.herald.socketio.adapter.Adapter} SPI.
 *
 * <p>Threading, in three lines: Engine.IO callbacks arrive on a Netty event loop and only parse
 * packet headers there; handlers and middlewares run on virtual threads, one socket's events in
 * order; {@code emit}, {@code join}, {@code leave} and {@code disconnect} may be called from any
 * thread and return at once, and an emit is written now, never after the handler returns.
 */
package dev.herald.socketio;
