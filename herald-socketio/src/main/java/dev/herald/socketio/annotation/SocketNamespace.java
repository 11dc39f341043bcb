package dev.herald.socketio.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The namespace an annotated handler class serves; {@code "/"} when absent. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SocketNamespace {
    /** The namespace name, starting with {@code /}. */
    String value();
}
