package dev.herald.socketio.parser;

import dev.herald.engineio.Message;
import dev.herald.socketio.SocketIoOptions;
import dev.herald.socketio.internal.DefaultParser;
import dev.herald.socketio.internal.MsgPackParser;
import java.util.List;
import java.util.Optional;

/**
 * How Socket.IO packets become Engine.IO messages and back: socket.io's {@code parser} option.
 * The server uses one parser for every client ({@link SocketIoOptions.Builder#parser(Parser)}),
 * and clients must be built with the matching one.
 *
 * <ul>
 *   <li>{@link #standard()}: {@code socket.io-parser}, the default. A text message per packet,
 *       binary values follow as attachments.
 *   <li>{@link #msgpack()}: {@code socket.io-msgpack-parser} 3.x. One binary MessagePack message
 *       per packet; smaller, and binary values stay in place.
 * </ul>
 *
 * <p>Threading: {@link #encode} is called from any thread, once per packet however many clients
 * receive it, so it must be stateless. A {@link Decoder} belongs to one connection and is only
 * called from that connection's home event loop.
 */
public interface Parser {

    /** The default: {@code socket.io-parser} (Socket.IO protocol v5, and v4 for EIO3 clients). */
    static Parser standard() {
        return DefaultParser.INSTANCE;
    }

    /** {@code socket.io-msgpack-parser} 3.x, byte for byte as the npm package encodes. */
    static Parser msgpack() {
        return MsgPackParser.INSTANCE;
    }

    /** A short name for logs and options' {@code toString}, e.g. {@code "default"}, {@code "msgpack"}. */
    String name();

    /**
     * Encodes one packet. {@code BINARY_EVENT} and {@code EVENT} (and the two ack types) may be
     * given interchangeably: the parser picks what its wire needs from whether the data holds
     * binary. The returned messages are shared by every recipient and must not be changed.
     */
    List<Message> encode(Packet packet);

    /** A decoder for one new connection, enforcing the limits of {@code options}. */
    Decoder newDecoder(SocketIoOptions options);

    /** Turns one connection's messages back into packets. Not thread-safe: one per connection. */
    interface Decoder {

        /**
         * Feeds one message.
         *
         * @return the packet once complete; empty while it still waits for more messages
         * @throws MalformedPacketException when the input is not a valid packet; the connection
         *     is then closed
         */
        Optional<Packet> decode(Message message);

        /** Drops a half-received packet, for example when the connection closes. */
        void reset();
    }
}
