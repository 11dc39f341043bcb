package dev.herald.redis;

import static org.awaitility.Awaitility.await;

import dev.herald.redis.RedisCapture.Published;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Records every {@code SPUBLISH} that reaches the nodes of a Redis Cluster, as raw bytes, through
 * {@code MONITOR} on each node. A subscriber would do for plain pub/sub, but a sharded subscriber
 * counts in {@code PUBSUB SHARDNUMSUB}, which the adapters take for the number of servers.
 */
final class ShardedCapture implements AutoCloseable, WireCases.Capture {

    private final List<Socket> sockets = new ArrayList<>();
    private final List<Published> published = new CopyOnWriteArrayList<>();

    ShardedCapture(RedisCluster cluster) {
        for (var node : cluster.nodes()) {
            try {
                var socket = new Socket("127.0.0.1", node.port());
                socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
                var in = new BufferedInputStream(socket.getInputStream());
                // "+OK" first: from then on every command the node runs is reported
                readLine(in);
                sockets.add(socket);
                var reader = new Thread(() -> read(in), "monitor-" + node.port());
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot monitor node " + node.port(), e);
            }
        }
    }

    private void read(InputStream in) {
        try {
            while (true) {
                var line = readLine(in);
                if (line == null) {
                    return;
                }
                var words = words(line);
                if (words.size() == 3
                        && new String(words.get(0), StandardCharsets.US_ASCII).equalsIgnoreCase("spublish")) {
                    published.add(new Published(new String(words.get(1), StandardCharsets.UTF_8), words.get(2)));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** A monitor line's quoted words, unescaped as Redis escapes them ({@code sdscatrepr}). */
    private static List<byte[]> words(byte[] line) {
        var out = new ArrayList<byte[]>();
        int i = 0;
        while (i < line.length && line[i] != ']') {
            i++;
        }
        while (i < line.length) {
            if (line[i] != '"') {
                i++;
                continue;
            }
            var word = new ByteArrayOutputStream();
            i++;
            while (i < line.length && line[i] != '"') {
                byte b = line[i];
                if (b == '\\') {
                    byte next = line[i + 1];
                    switch (next) {
                        case 'n' -> word.write('\n');
                        case 'r' -> word.write('\r');
                        case 't' -> word.write('\t');
                        case 'a' -> word.write(7);
                        case 'b' -> word.write('\b');
                        case 'x' -> {
                            word.write(Integer.parseInt(new String(line, i + 2, 2, StandardCharsets.US_ASCII), 16));
                            i += 2;
                        }
                        default -> word.write(next);
                    }
                    i += 2;
                } else {
                    word.write(b);
                    i++;
                }
            }
            i++;
            out.add(word.toByteArray());
        }
        return out;
    }

    private static byte[] readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toByteArray();
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return null;
    }

    @Override
    public int size() {
        return published.size();
    }

    @Override
    public Published next(int seen, Predicate<Published> matching) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> published.subList(Math.min(seen, published.size()), published.size()).stream()
                        .anyMatch(matching));
        return published.subList(seen, published.size()).stream()
                .filter(matching)
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        for (var socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
