package dev.herald.socketio.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as the handler of an event. Parameters may be, in any order: a
 * {@link dev.herald.socketio.Socket}, the {@link dev.herald.socketio.EventArgs}, and any other
 * types, which receive the event's arguments in order, converted with Jackson. A non-void return
 * value becomes the ack.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface On {
    /** The event name. */
    String value();
}
