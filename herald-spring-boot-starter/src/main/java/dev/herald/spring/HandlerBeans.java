package dev.herald.spring;

import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.annotation.SocketNamespace;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Hands every bean annotated {@link SocketNamespace} to {@link SocketIoServer#register(Object)},
 * and publishes {@link SocketConnectedEvent} and {@link SocketDisconnectedEvent} for the main
 * namespace and those of the beans, and the {@link RoomEvent}s of every namespace.
 *
 * <p>It runs once every singleton exists, so handler beans may themselves take the
 * {@code SocketIoServer} (to broadcast) in their constructors; and before the web server takes
 * connections, so no client reaches a namespace whose handlers are not there yet.
 */
public final class HandlerBeans implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(HandlerBeans.class);

    private final SocketIoServer io;
    private final ApplicationContext context;

    HandlerBeans(SocketIoServer io, ApplicationContext context) {
        this.io = Objects.requireNonNull(io, "io");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> names = new TreeSet<>();
        names.add("/");
        for (Map.Entry<String, Object> e :
                context.getBeansWithAnnotation(SocketNamespace.class).entrySet()) {
            Object bean = e.getValue();
            SocketNamespace nsp = AnnotationUtils.findAnnotation(bean.getClass(), SocketNamespace.class);
            io.register(bean);
            if (nsp != null) {
                names.add(nsp.value());
            }
            log.debug(
                    "registered handler bean {} ({})",
                    e.getKey(),
                    bean.getClass().getName());
        }
        io.observe(new RoomEvents(context));
        // Added after the beans' own handlers, so a listener sees a socket its @OnConnect has set up.
        for (String name : names) {
            Namespace n = io.of(name);
            n.onConnect(socket -> context.publishEvent(new SocketConnectedEvent(socket)));
            n.onDisconnect((socket, reason) -> context.publishEvent(new SocketDisconnectedEvent(socket, reason)));
        }
    }
}
