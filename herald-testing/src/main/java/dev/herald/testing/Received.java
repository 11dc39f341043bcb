package dev.herald.testing;

import dev.herald.engineio.parser.Packet;
import dev.herald.engineio.parser.PacketCodec;

/**
 * One packet an {@link EngineIoTestClient} received.
 *
 * @param packet    the decoded packet
 * @param transport {@code "polling"} or {@code "websocket"}: how it arrived
 * @param nanoTime  {@link System#nanoTime()} at arrival, for timing assertions
 * @param response  the polling response it came in (packets of one response share the number);
 *                  for WebSocket, the frame number
 */
public record Received(Packet packet, String transport, long nanoTime, long response) {

    /** The packet in its text wire form ({@code 4hello}, {@code 2}, {@code bAQID} for binary). */
    public String raw() {
        return PacketCodec.encodeText(packet);
    }

    @Override
    public String toString() {
        return "Received[" + raw() + " via " + transport + " #" + response + "]";
    }
}
