package dev.herald.socketio.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the disconnect handler: parameters may be a {@link dev.herald.socketio.Socket} and a
 * {@link dev.herald.socketio.DisconnectReason}, both optional.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnDisconnect {}
