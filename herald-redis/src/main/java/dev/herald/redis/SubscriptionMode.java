package dev.herald.redis;

/**
 * Which sharded channels a {@link ShardedRedisAdapter} node subscribes to, as the {@code
 * subscriptionMode} of {@code @socket.io/redis-adapter}'s sharded adapter. Every node of a cluster
 * must use the same mode: it decides on which channel a room broadcast is published.
 */
public enum SubscriptionMode {
    /**
     * Two channels per namespace: every broadcast reaches every node. Fewest subscriptions, best
     * when most rooms have members on most nodes.
     */
    STATIC("static"),
    /**
     * Also one channel per public room with a member on this node: a broadcast to exactly one room
     * reaches only the nodes with members in it. Private rooms (a socket's own id) stay on the
     * namespace channel. The default, as in Node.
     */
    DYNAMIC("dynamic"),
    /**
     * As {@link #DYNAMIC}, and private rooms get their own channel too: best when the application
     * mostly emits to single sockets by id across nodes, at the cost of one subscription per socket.
     */
    DYNAMIC_PRIVATE("dynamic-private");

    private final String wireName;

    SubscriptionMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name Node's adapter uses for this mode. */
    public String wireName() {
        return wireName;
    }
}
