package dev.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A set of {@code n} Socket.IO clients that stay connected: opened through a {@link Ramp}, their
 * frames passed on to the scenario, counted while they live, and closed together at the end.
 *
 * <p>All state is owned by the generator's event loop.
 */
final class Fleet implements SioClient.Listener {
    private final Connector connector;
    private final SioClient.Listener app;
    private final SioClient[] clients;
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    private Ramp ramp;
    private int open;
    private int dropped;
    private boolean closing;

    Fleet(Connector connector, int n, SioClient.Listener app) {
        this.connector = connector;
        this.app = app;
        this.clients = new SioClient[n];
    }

    /** Opens every client over WebSocket, {@code window} at a time; completes on the event loop. */
    CompletableFuture<Ramp> connect(int window, Duration timeout) {
        return connect(window, timeout, "websocket");
    }

    /**
     * As {@link #connect(int, Duration)}; with {@code "polling"} each client connects over polling
     * and then upgrades, as a browser does, and runs on the upgraded WebSocket.
     */
    CompletableFuture<Ramp> connect(int window, Duration timeout, String transport) {
        boolean upgrade = switch (transport) {
            case "websocket" -> false;
            case "polling" -> true;
            default -> throw new IllegalArgumentException("--transport must be websocket or polling");
        };
        ramp = new Ramp(connector.loop(), clients.length, window, i -> {
            if (upgrade) {
                clients[i] = new SioClient(i, this);
                new PollingUpgrade(connector, i, ramp, clients[i]).start();
            } else {
                clients[i] = connector.open(i, "", this);
            }
        });
        return ramp.start(timeout);
    }

    SioClient client(int index) {
        return clients[index];
    }

    /** Clients connected now. */
    int openCount() {
        return open;
    }

    /** Clients that were connected and lost their connection before {@link #closeAll}. */
    int droppedCount() {
        return dropped;
    }

    @Override
    public void connected(SioClient client) {
        open++;
        ramp.succeeded();
        app.connected(client);
    }

    @Override
    public void ack(SioClient client, ByteBuf frame) {
        app.ack(client, frame);
    }

    @Override
    public void event(SioClient client, ByteBuf frame) {
        app.event(client, frame);
    }

    @Override
    public void closed(SioClient client, Throwable cause) {
        if (client.isConnected()) {
            open--;
            if (!closing) {
                dropped++;
            }
        } else if (!closing) {
            ramp.failed(cause);
        }
        app.closed(client, cause);
        if (closing && open == 0) {
            allClosed.complete(null);
        }
    }

    /** Closes every client; completes when all connected ones are gone, or after the timeout. */
    CompletableFuture<Void> closeAll(Duration timeout) {
        connector.loop().execute(() -> {
            closing = true;
            for (SioClient c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            if (open == 0) {
                allClosed.complete(null);
            }
        });
        return allClosed.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
