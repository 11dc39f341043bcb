package dev.herald.engineio;

import dev.herald.engineio.parser.Eio3Codec;
import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PayloadCodec;
import dev.herald.engineio.transport.EngineRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Chooses the polling payload encoding of a request: EIO4 text, or EIO3 text or binary. */
final class PollingFormat {

    static final String TEXT_PLAIN = "text/plain; charset=UTF-8";
    static final String OCTET_STREAM = "application/octet-stream";

    private PollingFormat() {}

    /** Answers a poll with these packets in the encoding its protocol and query ask for. */
    static void respond(EngineRequest get, int protocol, List<Packet> packets) {
        if (protocol == 3) {
            if (get.query("b64").isPresent()) {
                get.respond(200, TEXT_PLAIN, Eio3Codec.encodeTextPayload(packets).getBytes(StandardCharsets.UTF_8));
            } else {
                // EIO3 browser clients that support binary read only octet-stream answers.
                get.respond(200, OCTET_STREAM, Eio3Codec.encodeBinaryPayload(packets));
            }
            return;
        }
        get.respond(200, TEXT_PLAIN, PayloadCodec.encode(packets).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a POST body; throws only {@code MalformedPacketException}. */
    static List<Packet> decode(EngineRequest post, int protocol) {
        if (protocol != 3) {
            return PayloadCodec.decode(post.body());
        }
        boolean binary = post.request().header("content-type")
                .map(ct -> ct.toLowerCase(Locale.ROOT).startsWith(OCTET_STREAM))
                .orElse(false);
        return binary ? Eio3Codec.decodeBinaryPayload(post.body())
                : Eio3Codec.decodeTextPayload(PayloadCodec.strictUtf8(post.body()));
    }
}
