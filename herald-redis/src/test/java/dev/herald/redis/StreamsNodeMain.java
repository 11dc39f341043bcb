package dev.herald.redis;

import dev.herald.redis.StreamsCluster.HeraldNode;
import java.io.IOException;
import java.time.Duration;

/**
 * A {@link HeraldNode} alone in a JVM, for tests that kill it: {@code StreamsNodeMain <redisUri>
 * <windowMillis>} prints {@code {"ev":"listening","port":N}} once it serves, and stops when its
 * stdin closes.
 */
public final class StreamsNodeMain {

    private StreamsNodeMain() {}

    public static void main(String[] args) throws IOException {
        try (var node = HeraldNode.start(args[0], Duration.ofMillis(Long.parseLong(args[1])))) {
            System.out.println("{\"ev\":\"listening\",\"port\":" + node.http().port() + "}");
            System.out.flush();
            while (System.in.read() != -1) {
                // nothing to do until the test lets go of the process
            }
        }
        System.exit(0);
    }
}
