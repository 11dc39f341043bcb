/** Annotations for handler classes registered with {@code SocketIoServer.register(Object)}. */
package dev.herald.socketio.annotation;
