package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.Message;
import dev.herald.socketio.internal.Json;
import dev.herald.socketio.internal.PacketDecoder;
import dev.herald.socketio.internal.PacketEncoder;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Socket.IO v5 parser, encode and decode, of an event with a small object and, with
 * {@code binary=true}, a 1 KiB {@code byte[]} attachment: what one event costs the event loop
 * (decode) and an emitting thread (encode).
 *
 * <p>Run: {@code java -jar herald-bench/target/benchmarks.jar SocketIoParserBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SocketIoParserBenchmark {

    @Param({"false", "true"})
    public boolean binary;

    private Packet packet;
    private List<Message> wire;
    private PacketDecoder decoder;

    @Setup
    public void setUp() {
        Object payload = binary
                ? Map.of("user", "ada", "step", 42, "file", new byte[1024])
                : Map.of("user", "ada", "step", 42, "msg", "start to process...");
        JsonNode data = Json.arrayOf(new Object[] {"progress", payload});
        packet = new Packet(PacketType.EVENT, "/testnamespace", data, 7);
        wire = PacketEncoder.encode(packet);
        decoder = new PacketDecoder(10);
    }

    @Benchmark
    public List<Message> encode() {
        return PacketEncoder.encode(packet);
    }

    @Benchmark
    public Optional<Packet> decode() throws Exception {
        Optional<Packet> out = Optional.empty();
        // A binary event is a header and its attachments; the last message completes the packet.
        for (Message m : wire) {
            out = decoder.decode(m);
        }
        return out;
    }
}
