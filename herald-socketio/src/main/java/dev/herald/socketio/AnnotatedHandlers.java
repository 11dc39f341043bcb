package dev.herald.socketio;

import com.fasterxml.jackson.databind.JavaType;
import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.OnConnect;
import dev.herald.socketio.annotation.OnDisconnect;
import dev.herald.socketio.annotation.SocketNamespace;
import dev.herald.socketio.internal.Conversion;
import dev.herald.socketio.internal.Json;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an annotated handler object into namespace registrations. Every method is checked here,
 * once, so a bad signature fails at {@code register()} with {@code Class.method} in the message.
 */
final class AnnotatedHandlers {

    private AnnotatedHandlers() {}

    /** A parameter binder: how to produce one argument of the method. */
    private interface Binder {
        Object bind(Socket socket, EventArgs args, DisconnectReason reason);
    }

    static void register(SocketIoServer server, Object target) {
        Class<?> type = target.getClass();
        SocketNamespace ns = type.getAnnotation(SocketNamespace.class);
        String nspName = ns == null ? "/" : ns.value();
        if (!nspName.startsWith("/")) {
            throw new IllegalArgumentException(
                    type.getName() + ": @SocketNamespace must start with '/', was \"" + nspName + "\"");
        }
        List<Runnable> registrations = new ArrayList<>();
        boolean any = false;
        for (Method m : type.getDeclaredMethods()) {
            On on = m.getAnnotation(On.class);
            boolean connect = m.isAnnotationPresent(OnConnect.class);
            boolean disconnect = m.isAnnotationPresent(OnDisconnect.class);
            int count = (on != null ? 1 : 0) + (connect ? 1 : 0) + (disconnect ? 1 : 0);
            if (count == 0) {
                continue;
            }
            any = true;
            String where = type.getSimpleName() + "." + m.getName();
            if (count > 1) {
                throw new IllegalArgumentException(where + ": only one of @On, @OnConnect, @OnDisconnect per method");
            }
            if (Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException(where + ": handler methods must not be static");
            }
            try {
                m.setAccessible(true);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ": not accessible (" + e.getMessage() + ")", e);
            }
            if (on != null) {
                String event = on.value();
                if ("connection".equals(event) || ReservedEvents.isReserved(event)) {
                    throw new IllegalArgumentException(
                            where + ": \"" + event + "\" is reserved; use @OnConnect/@OnDisconnect");
                }
                Binder[] binders = eventBinders(where, m);
                if (m.getReturnType() == void.class) {
                    registrations.add(
                            () -> server.of(nspName).on(event, (s, a) -> invoke(target, m, binders, s, a, null)));
                } else {
                    registrations.add(
                            () -> server.of(nspName).onCall(event, (s, a) -> invoke(target, m, binders, s, a, null)));
                }
            } else if (connect) {
                Binder[] binders = lifecycleBinders(where, m, false);
                registrations.add(() -> server.of(nspName).onConnect(s -> invoke(target, m, binders, s, null, null)));
            } else {
                Binder[] binders = lifecycleBinders(where, m, true);
                registrations.add(
                        () -> server.of(nspName).onDisconnect((s, r) -> invoke(target, m, binders, s, null, r)));
            }
        }
        if (!any) {
            throw new IllegalArgumentException(type.getName() + ": no @On, @OnConnect or @OnDisconnect method");
        }
        registrations.forEach(Runnable::run);
    }

    private static Binder[] eventBinders(String where, Method m) {
        Parameter[] params = m.getParameters();
        Binder[] binders = new Binder[params.length];
        int argIndex = 0;
        boolean sawArgs = false;
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i].getType();
            if (p == Socket.class) {
                binders[i] = (s, a, r) -> s;
            } else if (p == EventArgs.class) {
                sawArgs = true;
                binders[i] = (s, a, r) -> a;
            } else if (p == DisconnectReason.class) {
                throw new IllegalArgumentException(where + ": DisconnectReason is only for @OnDisconnect");
            } else {
                if (sawArgs) {
                    throw new IllegalArgumentException(where + ": typed parameters cannot follow EventArgs");
                }
                int index = argIndex++;
                Type generic = params[i].getParameterizedType();
                JavaType jt = Json.MAPPER.getTypeFactory().constructType(generic);
                binders[i] = (s, a, r) -> {
                    if (index >= a.size()) {
                        return p.isPrimitive() ? defaultOf(p) : null;
                    }
                    return Conversion.convert(a.node(index), jt, "argument " + index);
                };
            }
        }
        return binders;
    }

    private static Binder[] lifecycleBinders(String where, Method m, boolean disconnect) {
        Parameter[] params = m.getParameters();
        Binder[] binders = new Binder[params.length];
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i].getType();
            if (p == Socket.class) {
                binders[i] = (s, a, r) -> s;
            } else if (disconnect && p == DisconnectReason.class) {
                binders[i] = (s, a, r) -> r;
            } else {
                throw new IllegalArgumentException(
                        where + ": parameter " + params[i].getName() + " of type " + p.getSimpleName()
                                + " is not allowed; use Socket" + (disconnect ? " and/or DisconnectReason" : ""));
            }
        }
        return binders;
    }

    private static Object defaultOf(Class<?> p) {
        if (p == boolean.class) return false;
        if (p == char.class) return '\0';
        if (p == long.class) return 0L;
        if (p == double.class) return 0d;
        if (p == float.class) return 0f;
        if (p == short.class) return (short) 0;
        if (p == byte.class) return (byte) 0;
        return 0;
    }

    private static Object invoke(Object target, Method m, Binder[] binders, Socket s, EventArgs a, DisconnectReason r)
            throws Exception {
        Object[] values = new Object[binders.length];
        for (int i = 0; i < binders.length; i++) {
            values[i] = binders[i].bind(s, a, r);
        }
        try {
            return m.invoke(target, values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
