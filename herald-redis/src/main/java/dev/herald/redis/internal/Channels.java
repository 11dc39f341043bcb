package dev.herald.redis.internal;

import java.util.Collection;
import java.util.Objects;

/**
 * The Redis channel names of one namespace, as {@code @socket.io/redis-adapter} 8.3 names them.
 *
 * <p>Broadcasts go to {@code <key>#<nsp>#}, or to {@code <key>#<nsp>#<room>#} when they target
 * exactly one room (so a node without that room can skip them cheaply). Requests between nodes
 * go to {@code <key>-request#<nsp>#}, responses to {@code <key>-response#<nsp>#} (or, when a node
 * asks for it, {@code <key>-response#<nsp>#<uid>#}).
 *
 * @param key the key prefix, {@code socket.io} by default
 * @param nsp the namespace name, starting with {@code /}
 */
public record Channels(String key, String nsp) {

    /** The key prefix that Node's adapter and emitter use by default. */
    public static final String DEFAULT_KEY = "socket.io";

    public Channels {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(nsp, "nsp");
    }

    /** The channel of broadcasts to the whole namespace, or to several rooms. */
    public String broadcast() {
        return key + "#" + nsp + "#";
    }

    /** The channel of broadcasts to exactly one room. */
    public String room(String room) {
        return broadcast() + room + "#";
    }

    /** The channel a broadcast to these rooms is published on. */
    public String broadcastTo(Collection<String> rooms) {
        return rooms.size() == 1 ? room(rooms.iterator().next()) : broadcast();
    }

    /** The pattern that matches every broadcast channel of the namespace. */
    public String broadcastPattern() {
        return broadcast() + "*";
    }

    /**
     * The room a broadcast channel names: empty for the namespace-wide channel, {@code null} if the
     * channel is not a broadcast channel of this namespace.
     */
    public String roomOf(String channel) {
        var prefix = broadcast();
        if (!channel.startsWith(prefix)) {
            return null;
        }
        if (channel.length() == prefix.length()) {
            return "";
        }
        return channel.endsWith("#") ? channel.substring(prefix.length(), channel.length() - 1) : null;
    }

    /** The channel of requests between nodes. */
    public String request() {
        return key + "-request#" + nsp + "#";
    }

    /** The channel every node reads responses on. */
    public String response() {
        return key + "-response#" + nsp + "#";
    }

    /** The response channel specific to one node. */
    public String response(String uid) {
        return response() + uid + "#";
    }
}
