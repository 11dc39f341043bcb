package dev.herald.servlet;

import dev.herald.engineio.HandshakeRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns servlet requests into the engine's {@link HandshakeRequest}. */
final class ServletRequests {

    private ServletRequests() {}

    static HandshakeRequest toHandshake(HttpServletRequest req) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            List<String> values = Collections.list(req.getHeaders(name));
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(values);
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        String query = req.getQueryString();
        String url = query == null ? req.getRequestURI() : req.getRequestURI() + "?" + query;
        return new HandshakeRequest(headers, query(query), url, remote(req), req.isSecure(), Instant.now());
    }

    /**
     * The first value of each query parameter, decoded. Read from the query string itself, not
     * {@code getParameter}, which would consume a form-encoded POST body.
     */
    static Map<String, String> query(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                // A malformed escape: the parameter is left out, as if it had not been sent.
            }
        }
        return out;
    }

    static Optional<String> header(HttpServletRequest req, String name) {
        return Optional.ofNullable(req.getHeader(name));
    }

    private static InetSocketAddress remote(HttpServletRequest req) {
        try {
            // An address literal: no name lookup happens.
            return new InetSocketAddress(InetAddress.getByName(req.getRemoteAddr()), req.getRemotePort());
        } catch (UnknownHostException | RuntimeException e) {
            return new InetSocketAddress(0);
        }
    }
}
