package dev.herald.socketio;

import dev.herald.engineio.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * One socket's lifecycle: connecting, connected, disconnected, each move made once under this
 * object's monitor (the admission lock), and what the admission holds meanwhile.
 *
 * <p>A socket joins its rooms first; broadcasts that reach it then wait here. Once the adapter
 * admitted it, its CONNECT reply (and what a resumed session missed) goes out at its first write
 * or when its connect handlers return, whichever comes first ({@link #greet}); the move to
 * connected, the reply and the waiting writes are one step, so no one sees the reply before the
 * socket is connected, and no write overtakes the reply. A close either comes first (the connect
 * flow cleans up) or finds the socket admitted (the disconnect flow does).
 *
 * <p>Threading: any thread; every change under the monitor. Once {@code greeted}, writes go
 * straight to the client without it.
 */
final class SocketLifecycle {

    private static final int CONNECTING = 0;
    private static final int CONNECTED = 1;
    private static final int DISCONNECTED = 2;

    /** What {@link #close} found. */
    record Closing(boolean wasOpen, boolean admitted, boolean greeted) {}

    private record Held(List<Message> encoded, boolean isVolatile) {}

    private final Client client;

    // Guarded by `this`, readable anywhere.
    private volatile int state = CONNECTING;
    // Set once admitted, never cleared.
    private volatile boolean admitted;
    // Set once the reply and the held writes went out; from then on writes skip the monitor.
    private volatile boolean greeted;
    // The connect flow's thread while it runs the connect handlers.
    private volatile Thread connectThread;
    // Guarded by `this`: the pending reply, what the connect flow's own thread does right after it
    // (the wait until the reply has left, which keeps the first event out of the reply's TCP read), and what waits for
    // it.
    private Runnable greeting;
    private Runnable afterGreeting;
    private List<Held> held;

    SocketLifecycle(Client client) {
        this.client = client;
    }

    /** In the namespace: from the admission (connect handlers run) until the close. */
    boolean connected() {
        int now = state;
        return now == CONNECTED || now == CONNECTING && admitted;
    }

    boolean closed() {
        return state == DISCONNECTED;
    }

    /** Whether the reply went out. */
    boolean greeted() {
        return greeted;
    }

    /**
     * The adapter admitted the socket: {@code greeting} writes its CONNECT reply. False if the
     * socket closed first.
     */
    synchronized boolean admit(Runnable greeting, Runnable afterOnConnectThread) {
        if (state != CONNECTING) {
            return false;
        }
        this.greeting = greeting;
        this.afterGreeting = afterOnConnectThread;
        this.connectThread = Thread.currentThread();
        this.admitted = true;
        return true;
    }

    /**
     * Writes the CONNECT reply now if it is pending, then what waited for it. Returns whether the
     * reply went out (now or earlier); false before the admission and when the socket closed first.
     */
    boolean greet() {
        if (greeted) {
            return true;
        }
        Runnable after;
        synchronized (this) {
            if (greeted) {
                return true;
            }
            Runnable g = greeting;
            if (g == null || state != CONNECTING) {
                return false;
            }
            state = CONNECTED;
            greeting = null;
            g.run();
            List<Held> waiting = held;
            held = null;
            if (waiting != null) {
                for (Held h : waiting) {
                    client.write(h.encoded(), h.isVolatile());
                }
            }
            greeted = true;
            after = Thread.currentThread() == connectThread ? afterGreeting : null;
            afterGreeting = null;
        }
        if (after != null) {
            after.run();
        }
        return true;
    }

    /**
     * A connect handler refused the connection: true if the reply had not gone out, and then the
     * socket is closed without it (the caller sends CONNECT_ERROR and cleans up).
     */
    synchronized boolean refuseBeforeGreeting() {
        if (greeted || state != CONNECTING) {
            return false;
        }
        state = DISCONNECTED;
        greeting = null;
        held = null;
        return true;
    }

    /** The connect handlers have returned: the connect flow's thread no longer pauses after a greeting. */
    void connectHandlersDone() {
        connectThread = null;
    }

    /** The connect flow gave up. */
    synchronized void abandon() {
        state = DISCONNECTED;
        greeting = null;
        held = null;
    }

    /** Moves to disconnected, once; says what the socket had reached. */
    synchronized Closing close() {
        int before = state;
        state = DISCONNECTED;
        held = null;
        greeting = null;
        return new Closing(before != DISCONNECTED, admitted || before == CONNECTED, greeted);
    }

    /** Runs {@code body} with no greeting in progress (a DISCONNECT must follow the reply). */
    synchronized void runAfterAnyGreeting(Runnable body) {
        body.run();
    }

    /**
     * Writes to the client: straight once greeted; before the admission, kept behind the reply;
     * once admitted, this first write sends the reply first. Dropped once closed.
     */
    void write(List<Message> encoded, boolean isVolatile) {
        if (!greeted) {
            synchronized (this) {
                if (!greeted && state == CONNECTING && greeting == null) {
                    if (held == null) {
                        held = new ArrayList<>(2);
                    }
                    held.add(new Held(encoded, isVolatile));
                    return;
                }
            }
            greet();
        }
        if (state == CONNECTED) {
            client.write(encoded, isVolatile);
        }
    }
}
