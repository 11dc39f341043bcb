package dev.herald.netty;

import dev.herald.engineio.EngineIoOptions;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code permessage-deflate} extension (RFC 7692) on the WebSocket upgrade, with Netty's own
 * encoder and decoder. Two things are Herald's: messages under the threshold, and frames the
 * engine marks as not to be compressed ({@link #uncompressedText}), pass the encoder untouched
 * through its skip filter; and the decoder inflates at most {@code maxHttpBufferSize} bytes per
 * message, so a small compressed frame cannot blow up into a large one.
 *
 * <p>Memory: Netty creates a connection's deflater on its first compressed message and, with
 * server context takeover (what clients offer by default), keeps it until the connection closes;
 * an idle connection that never got a message over the threshold holds none. The client is asked
 * not to take over its context, so no inflater outlives the message it inflates.
 */
final class PerMessageDeflate {

    private static final String NAME = "permessage-deflate";
    private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";
    // zlib's default level, as Node's ws uses.
    private static final int LEVEL = 6;

    private PerMessageDeflate() {}

    /**
     * The extension accepted for this upgrade request, if deflate is on and the client offers it
     * in a form we can serve. A {@code server_max_window_bits} below 15 is declined: only the full
     * window runs on the JDK's zlib (smaller ones would need JZlib).
     */
    static Optional<WebSocketServerExtension> negotiate(HttpHeaders request, EngineIoOptions options) {
        if (!options.perMessageDeflate()) {
            return Optional.empty();
        }
        String offered = request.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return Optional.empty();
        }
        // client_no_context_takeover is asked for: the inflater is then dropped after each message
        // instead of held per connection, and ws (Node's client) applies its 1 KiB threshold only
        // under that parameter; without it ws deflates even "2probe" and "5" asynchronously, so
        // they leave after a poll sent later (the upgrade race the official suite trips on).
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
                LEVEL,
                false,
                PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE,
                true,
                true,
                new Filters(options.perMessageDeflateThreshold()),
                options.maxHttpBufferSize());
        for (WebSocketExtensionData data : WebSocketExtensionUtil.extractExtensions(offered)) {
            if (NAME.equalsIgnoreCase(data.name())) {
                // RFC 7692 7.1.1.2 lets the server answer with client_no_context_takeover even
                // when the offer lacks it; Netty only answers what was offered, so it is added.
                Map<String, String> params = new HashMap<>(data.parameters());
                params.putIfAbsent(CLIENT_NO_CONTEXT, null);
                WebSocketServerExtension accepted =
                        handshaker.handshakeExtension(new WebSocketExtensionData(data.name(), params));
                if (accepted != null) {
                    return Optional.of(accepted);
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code Sec-WebSocket-Extensions} value that answers the offer. */
    static String responseHeader(WebSocketServerExtension extension) {
        WebSocketExtensionData data = extension.newReponseData();
        StringBuilder sb = new StringBuilder(data.name());
        for (Map.Entry<String, String> p : data.parameters().entrySet()) {
            sb.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                sb.append('=').append(p.getValue());
            }
        }
        return sb.toString();
    }

    /** A text frame the deflate encoder leaves as it is. */
    static WebSocketFrame uncompressedText(ByteBuf content) {
        return new PlainText(content);
    }

    /** A binary frame the deflate encoder leaves as it is. */
    static WebSocketFrame uncompressedBinary(ByteBuf content) {
        return new PlainBinary(content);
    }

    /** Marks frames sent with {@code compress(false)}. */
    private interface Plain {}

    private static final class PlainText extends TextWebSocketFrame implements Plain {
        PlainText(ByteBuf content) {
            super(content);
        }
    }

    private static final class PlainBinary extends BinaryWebSocketFrame implements Plain {
        PlainBinary(ByteBuf content) {
            super(content);
        }
    }

    /** Skips marked frames and small messages on the way out; inflates everything that came in compressed. */
    private record Filters(int threshold) implements WebSocketExtensionFilterProvider {
        @Override
        public WebSocketExtensionFilter encoderFilter() {
            return frame -> frame instanceof Plain || frame.content().readableBytes() < threshold;
        }

        @Override
        public WebSocketExtensionFilter decoderFilter() {
            return WebSocketExtensionFilter.NEVER_SKIP;
        }
    }
}
