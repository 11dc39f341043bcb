package dev.herald.netty;

import java.util.HashMap;
import java.util.Map;

/**
 * Shared instances of the header names, header values and query keys that nearly every handshake
 * repeats. A session keeps its handshake for its whole life, so each connection would otherwise
 * hold its own copies of "sec-websocket-key", "websocket", "EIO" and the like: some hundreds of
 * bytes per idle connection. Only this fixed list is shared, so a client cannot grow it.
 */
final class CommonStrings {

    private static final Map<String, String> POOL = new HashMap<>();

    static {
        for (String s : new String[] {
            // header names, lower case as the handshake stores them
            "host",
            "connection",
            "upgrade",
            "origin",
            "user-agent",
            "accept",
            "accept-encoding",
            "accept-language",
            "cache-control",
            "pragma",
            "cookie",
            "referer",
            "authorization",
            "content-type",
            "content-length",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-extensions",
            "sec-websocket-protocol",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
            "sec-fetch-storage-access",
            "sec-ch-ua",
            "sec-ch-ua-mobile",
            "sec-ch-ua-platform",
            "priority",
            "dnt",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-forwarded-host",
            "x-real-ip",
            // header values
            "Upgrade",
            "upgrade",
            "keep-alive",
            "Keep-Alive",
            "keep-alive, Upgrade",
            "websocket",
            "13",
            "no-cache",
            "*/*",
            "gzip, deflate",
            "gzip, deflate, br",
            "gzip, deflate, br, zstd",
            "permessage-deflate; client_max_window_bits",
            "empty",
            "cors",
            "same-origin",
            "same-site",
            "cross-site",
            "?0",
            "?1",
            "http",
            "https",
            // query keys and values of Engine.IO
            "EIO",
            "transport",
            "sid",
            "t",
            "b64",
            "j",
            "3",
            "4",
            "polling",
        }) {
            POOL.put(s, s);
        }
    }

    private CommonStrings() {}

    /** The shared instance equal to {@code s}, or {@code s} itself. */
    static String canonical(String s) {
        String shared = POOL.get(s);
        return shared == null ? s : shared;
    }
}
