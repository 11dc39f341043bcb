package dev.herald.testing;

import dev.herald.engineio.parser.MalformedPacketException;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;
import dev.herald.engineio.parser.PacketType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One WebSocket of an {@link EngineIoTestClient}: the session's transport, or a probe being tried
 * during an upgrade. Its first text frame (the open packet, or {@code 3probe}) goes to whoever
 * opened it; later frames are recorded, and pings answered once it carries the session.
 *
 * <p>Threading: the JDK calls the listener methods one at a time; {@link #carrySession()} may be
 * called from any thread.
 */
final class WebSocketLeg implements WebSocket.Listener {

    private final Recorder recorder;
    private final boolean autoPong;
    // The JDK's listener thread only, as the two buffers.
    private Consumer<String> firstText;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    // True for the connection that carries the session (not a probe still being tried).
    private volatile boolean primary;

    private WebSocketLeg(Recorder recorder, boolean autoPong, Consumer<String> firstText) {
        this.recorder = recorder;
        this.autoPong = autoPong;
        this.firstText = firstText;
    }

    /**
     * Opens a WebSocket to the endpoint, with the sid when it is a probe; {@code firstText} gets
     * its first text frame.
     */
    static WebSocket open(Endpoint endpoint, String withSid, WebSocketLeg leg) {
        String base = endpoint.uri.toString().replaceFirst("^http", "ws");
        URI uri = URI.create(base + endpoint.query("websocket", withSid));
        WebSocket.Builder b = endpoint.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        endpoint.headers.forEach(b::header);
        return Endpoint.await(b.buildAsync(uri, leg), Duration.ofSeconds(5), "WebSocket to open");
    }

    /** A listener whose first text frame completes {@code first}. */
    static WebSocketLeg awaitingFirst(Recorder recorder, boolean autoPong, CompletableFuture<String> first) {
        return new WebSocketLeg(recorder, autoPong, first::complete);
    }

    /** From now on this connection carries the session: its close ends it, its pings are answered. */
    void carrySession() {
        primary = true;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            if (firstText != null) {
                Consumer<String> f = firstText;
                firstText = null;
                f.accept(frame);
            } else {
                onFrame(ws, frame);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            recorder.record(PacketCodec.decodeBinary(binary.toByteArray()), "websocket", recorder.nextResponse());
            binary.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (primary) {
            recorder.markClosed("websocket closed " + statusCode);
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        if (primary) {
            recorder.markClosed("websocket error " + error);
        }
    }

    private void onFrame(WebSocket ws, String frame) {
        Packet p;
        try {
            p = PacketCodec.decodeText(frame);
        } catch (MalformedPacketException e) {
            recorder.markClosed("malformed frame");
            return;
        }
        recorder.record(p, "websocket", recorder.nextResponse());
        if (p.type() == PacketType.PING && autoPong && primary) {
            ws.sendText("3", true);
        }
    }
}
