package dev.herald.servlet;

import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.transport.SessionExecutor;
import dev.herald.engineio.transport.WebSocketConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded WebSocket, made for its request (the configurator hands this instance to the
 * container). Messages arrive in parts of the container's buffer size, so no container allocates
 * {@code maxHttpBufferSize} per connection up front; they are put together here up to that
 * limit, and a longer one closes the connection with 1009, as herald-netty does.
 *
 * <p>Threading: the container calls one endpoint from one thread at a time. A new session's
 * connection hands every complete message, and the close, to its loop, the session's home, where
 * the engine opens the session and expects its listener to be called. An upgrade probe (a request
 * with a sid) calls the engine's listener from the container thread itself, which the spec keeps
 * serial: that listener hops to the session's home loop on its own, so a probe's {@code 5} takes
 * one hop there, as a poll of the same client does, and the two keep the order they were sent in
 * (the official suite checks that a poll sent right after the {@code 5} is refused).
 *
 * <p>Public only because Jetty refuses a non-public endpoint class; not API: it cannot be made
 * outside this package.
 */
public final class EngineEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(EngineEndpoint.class);

    private final EngineIoServer engine;
    private final HandshakeRequest request;
    private final SessionExecutor loop;
    private final int maxMessage;
    // Owned by the container thread that delivers messages (one at a time, per the spec).
    private final StringBuilder text = new StringBuilder();
    private long textBytes;
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    // Set once a message went over the limit: the rest of it, and anything after, is ignored.
    private boolean rejected;
    // Whether this connection is the upgrade probe of an existing session.
    private final boolean probe;
    // Written once when the connection opens (on the loop, or for a probe on the container thread);
    // read by every later callback.
    private volatile WebSocketConnection.Listener listener;
    // Set by whichever container thread saw the reason first; read on the loop when the close is reported.
    private volatile dev.herald.engineio.CloseReason failure;

    EngineEndpoint(EngineIoServer engine, HandshakeRequest request, SessionExecutor loop) {
        this.engine = engine;
        this.request = request;
        this.loop = loop;
        this.maxMessage = engine.options().maxHttpBufferSize();
        this.probe = request.query().containsKey("sid");
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // The engine's heartbeat decides when a silent peer is gone, as on Netty; a container idle
        // timeout (Jetty's is 30 s) would otherwise cut sessions whose pingInterval is longer.
        session.setMaxIdleTimeout(0);
        ServletWebSocketConnection connection =
                new ServletWebSocketConnection(session, loop, engine.options().writeBufferHighWaterMark());
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
            if (rejected) {
                return;
            }
            textBytes += utf8Length(part);
            if (textBytes > maxMessage) {
                tooLarge(session);
                return;
            }
            if (last && text.isEmpty()) {
                toEngine(() -> listener.onText(part));
                return;
            }
            text.append(part);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                textBytes = 0;
                toEngine(() -> listener.onText(message));
            }
        });
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> {
            if (rejected) {
                return;
            }
            if (binary.size() + (long) part.remaining() > maxMessage) {
                tooLarge(session);
                return;
            }
            // The container reuses its buffer: copy before returning.
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            if (last && binary.size() == 0) {
                toEngine(() -> listener.onBinary(bytes));
                return;
            }
            binary.writeBytes(bytes);
            if (last) {
                byte[] message = binary.toByteArray();
                binary.reset();
                toEngine(() -> listener.onBinary(message));
            }
        });
        if (probe) {
            listener = engine.openWebSocket(request, connection);
        } else {
            toEngine(() -> listener = engine.openWebSocket(request, connection));
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        dev.herald.engineio.CloseReason reason = failure != null
                ? failure
                : switch (closeReason.getCloseCode().getCode()) {
                    case 1000, 1001, 1005 -> dev.herald.engineio.CloseReason.TRANSPORT_CLOSE;
                    case 1009 -> dev.herald.engineio.CloseReason.MESSAGE_TOO_LARGE;
                    case 1007 -> dev.herald.engineio.CloseReason.PARSE_ERROR;
                    default -> dev.herald.engineio.CloseReason.TRANSPORT_ERROR;
                };
        String description = closeReason.getReasonPhrase() == null ? "" : closeReason.getReasonPhrase();
        toEngine(() -> {
            if (listener != null) {
                listener.onClose(reason, description);
            }
        });
    }

    @Override
    public void onError(Session session, Throwable error) {
        log.debug("WebSocket {} failed", session.getId(), error);
        if (failure == null) {
            failure = dev.herald.engineio.CloseReason.TRANSPORT_ERROR;
        }
    }

    private void tooLarge(Session session) {
        log.debug("closing WebSocket {}: message over maxHttpBufferSize", session.getId());
        failure = dev.herald.engineio.CloseReason.MESSAGE_TOO_LARGE;
        rejected = true;
        text.setLength(0);
        binary.reset();
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, "message over maxHttpBufferSize"));
        } catch (IOException e) {
            log.debug("close failed", e);
        }
    }

    /** Runs a callback of the engine's listener: on the loop, or for a probe right here. */
    private void toEngine(Runnable task) {
        if (probe) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The transport is stopping: the engine closed every session already.
        }
    }

    /** The UTF-8 length of a Java string, without encoding it. */
    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
