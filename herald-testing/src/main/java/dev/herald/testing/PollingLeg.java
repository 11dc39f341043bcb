package dev.herald.testing;

import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketType;
import dev.herald.engineio.parser.PayloadCodec;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The polling side of an {@link EngineIoTestClient}: the handshake GET, the background loop that
 * keeps one GET outstanding (as real clients do) and answers pings, and POSTs.
 *
 * <p>Threading: the loop runs on its own virtual thread; the rest may be called from any thread.
 */
final class PollingLeg {

    private final EngineIoTestClient client;
    private final Endpoint endpoint;
    private final Recorder recorder;
    private final boolean autoPong;
    // Written by the thread that connects, upgrades or aborts; read by the loop.
    private volatile boolean active;
    private volatile boolean aborted;
    private volatile Thread poller;

    PollingLeg(EngineIoTestClient client, Endpoint endpoint, Recorder recorder, boolean autoPong) {
        this.client = client;
        this.endpoint = endpoint;
        this.recorder = recorder;
        this.autoPong = autoPong;
    }

    /** The polling handshake; returns the open packet's JSON. */
    String handshake() {
        HttpResponse<String> res = endpoint.get(endpoint.query("polling", null), Duration.ofSeconds(5));
        if (res.statusCode() != 200 || !res.body().startsWith("0")) {
            throw new AssertionError("handshake failed: HTTP " + res.statusCode() + " " + res.body());
        }
        return res.body().substring(1);
    }

    /** Starts the background loop for this session. */
    void start(String sid) {
        active = true;
        poller = Thread.ofVirtual().name("eio-test-poll-" + sid).start(this::loop);
    }

    /**
     * Stops the loop after its outstanding GET is answered (the server ends it during an upgrade);
     * fails if that takes longer than the timeout.
     */
    void stopAndJoin(Duration timeout) {
        active = false;
        Thread p = poller;
        if (p == null) {
            return;
        }
        try {
            if (!p.join(timeout)) {
                throw new AssertionError("the outstanding poll did not end during the upgrade");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Stops the loop at once, its outstanding GET abandoned. */
    void abort() {
        aborted = true;
        active = false;
        Thread p = poller;
        if (p != null) {
            p.interrupt();
        }
    }

    /** POSTs raw bytes to this session and returns the HTTP status; -1 when the request failed. */
    int post(String sid, byte[] body) {
        HttpRequest req = endpoint.request(endpoint.query("polling", sid))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .build();
        try {
            return endpoint.http
                    .send(req, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void loop() {
        String sid = client.sid();
        while (active && !aborted) {
            HttpResponse<String> res;
            try {
                res = endpoint.http.send(
                        endpoint.request(endpoint.query("polling", sid)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!aborted) {
                    recorder.markClosed("poll failed: " + e);
                }
                return;
            } catch (InterruptedException e) {
                return;
            }
            if (res.statusCode() != 200) {
                recorder.markClosed("poll answered HTTP " + res.statusCode());
                return;
            }
            long n = recorder.nextResponse();
            List<Packet> packets;
            try {
                packets = PayloadCodec.decode(res.body());
            } catch (MalformedPacketException e) {
                recorder.markClosed("malformed poll response");
                return;
            }
            for (Packet p : packets) {
                recorder.record(p, "polling", n);
                if (p.type() == PacketType.PING && autoPong && "polling".equals(client.transport())) {
                    Thread.ofVirtual().start(() -> post(sid, new byte[] {'3'}));
                } else if (p.type() == PacketType.CLOSE) {
                    recorder.markClosed("close packet");
                    return;
                }
            }
        }
    }
}
