package dev.herald.socketio.internal;

import dev.herald.engineio.Message;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.Parser;
import java.util.List;

/** {@code socket.io-parser}: {@link PacketEncoder} and {@link PacketDecoder}. Stateless. */
public final class DefaultParser implements Parser {

    public static final DefaultParser INSTANCE = new DefaultParser();

    private DefaultParser() {}

    @Override
    public String name() {
        return "default";
    }

    @Override
    public List<Message> encode(Packet packet) {
        return PacketEncoder.encode(packet);
    }

    @Override
    public Parser.Decoder newDecoder(SocketIoOptions options) {
        return new PacketDecoder(options.maxAttachments(), options.maxAttachmentBytes(), options.maxNamespaceLength());
    }

    @Override
    public String toString() {
        return name();
    }
}
