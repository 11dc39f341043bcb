package dev.herald.netty;

import dev.herald.engineio.HandshakeRequest;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns Netty requests into the engine's {@link HandshakeRequest}. */
final class Requests {

    private Requests() {}

    static HandshakeRequest toHandshake(Channel channel, HttpRequest req, boolean secure) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.computeIfAbsent(
                            CommonStrings.canonical(h.getKey().toLowerCase(Locale.ROOT)), k -> new ArrayList<>())
                    .add(CommonStrings.canonical(h.getValue()));
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        Map<String, String> query = new LinkedHashMap<>();
        qs.parameters().forEach((k, v) -> {
            if (!v.isEmpty()) {
                query.put(CommonStrings.canonical(k), CommonStrings.canonical(v.get(0)));
            }
        });
        InetSocketAddress remote =
                channel.remoteAddress() instanceof InetSocketAddress a ? a : new InetSocketAddress(0);
        return new HandshakeRequest(headers, query, req.uri(), remote, secure, Instant.now());
    }

    /** The path of a request URI, without query. */
    static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
