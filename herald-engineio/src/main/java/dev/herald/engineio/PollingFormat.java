package dev.herald.engineio;

import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PayloadCodec;
import dev.herald.engineio.transport.ContentEncoding;
import dev.herald.engineio.transport.EngineRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Chooses the polling payload encoding of a request: EIO4 text, or EIO3 text or binary. */
final class PollingFormat {

    static final String TEXT_PLAIN = "text/plain; charset=UTF-8";
    static final String OCTET_STREAM = "application/octet-stream";

    private PollingFormat() {}

    /** Answers a poll with these packets in the encoding its protocol and query ask for. */
    static void respond(EngineRequest get, int protocol, List<Packet> packets, EngineIoOptions options) {
        String contentType;
        byte[] body;
        if (protocol == 3 && get.query("b64").isEmpty()) {
            // EIO3 browser clients that support binary read only octet-stream answers.
            contentType = OCTET_STREAM;
            body = Eio3Codec.encodeBinaryPayload(packets);
        } else {
            contentType = TEXT_PLAIN;
            String text = protocol == 3 ? Eio3Codec.encodeTextPayload(packets) : PayloadCodec.encode(packets);
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        Optional<ContentEncoding> coding = options.httpCompression()
                        && body.length >= options.httpCompressionThreshold()
                        && anyCompressible(packets)
                ? ContentEncoding.negotiate(get.request().header("accept-encoding"))
                : Optional.empty();
        if (coding.isEmpty()) {
            get.respond(200, contentType, body);
            return;
        }
        get.respond(
                200,
                contentType,
                coding.get().encode(body),
                Map.of("Content-Encoding", List.of(coding.get().token())));
    }

    /** As the JS reference: one packet that may be compressed makes the whole answer compressible. */
    private static boolean anyCompressible(List<Packet> packets) {
        for (Packet p : packets) {
            if (p.message().map(Message::compress).orElse(true)) {
                return true;
            }
        }
        return false;
    }

    /** Decodes a POST body; throws only {@code MalformedPacketException}. */
    static List<Packet> decode(EngineRequest post, int protocol) {
        if (protocol != 3) {
            return PayloadCodec.decode(post.body());
        }
        boolean binary = post.request()
                .header("content-type")
                .map(ct -> ct.toLowerCase(Locale.ROOT).startsWith(OCTET_STREAM))
                .orElse(false);
        return binary
                ? Eio3Codec.decodeBinaryPayload(post.body())
                : Eio3Codec.decodeTextPayload(PayloadCodec.strictUtf8(post.body()));
    }
}
