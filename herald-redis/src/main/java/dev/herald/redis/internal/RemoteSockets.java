package dev.herald.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.Handshake;
import dev.herald.socketio.adapter.SocketDetails;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket snapshots in the JSON shape Node's adapter ships in {@code fetchSockets} answers:
 * {@code {id, handshake: {headers, time, address, xdomain, secure, issued, url, query, auth},
 * rooms, data}}.
 */
public final class RemoteSockets {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(RemoteSockets.class);
    // As JavaScript's Date.prototype.toString() in UTC, which Node puts in handshake.time.
    private static final DateTimeFormatter JS_DATE = DateTimeFormatter.ofPattern(
                    "EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private RemoteSockets() {}

    /** One socket as Node's adapter writes it. */
    public static ObjectNode toJson(SocketDetails socket) {
        var node = Wire.NODES.objectNode();
        node.put("id", socket.id());
        var handshake = node.putObject("handshake");
        var h = socket.handshake();
        var headers = handshake.putObject("headers");
        // Node keeps one string per header (repeated headers joined with ", ")
        h.headers().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        handshake.put("time", JS_DATE.format(h.time()));
        handshake.put("address", h.address());
        handshake.put("xdomain", h.header("origin").isPresent());
        handshake.put("secure", h.secure());
        handshake.put("issued", h.time().toEpochMilli());
        handshake.put("url", h.url());
        var query = handshake.putObject("query");
        h.query().forEach(query::put);
        handshake.set("auth", h.auth());
        node.set("rooms", Wire.strings(socket.rooms()));
        node.set("data", data(socket));
        return node;
    }

    private static JsonNode data(SocketDetails socket) {
        try {
            return MAPPER.valueToTree(socket.data());
        } catch (IllegalArgumentException e) {
            // one socket's unserializable data must not cost the whole answer
            log.debug("data of socket {} cannot be sent to other nodes: {}", socket.id(), e.toString());
            return Wire.NODES.objectNode();
        }
    }

    /** One socket read from Node's (or Herald's) JSON, in namespace {@code nsp}. */
    public static SocketDetails fromJson(JsonNode node, String nsp) {
        var h = node.path("handshake");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        h.path("headers").properties().forEach(e -> {
            var values = new ArrayList<String>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(e.getValue().asText());
            }
            headers.put(e.getKey().toLowerCase(Locale.ROOT), values);
        });
        Map<String, String> query = new LinkedHashMap<>();
        h.path("query")
                .properties()
                .forEach(e -> query.put(e.getKey(), e.getValue().asText()));
        var issued = h.path("issued");
        var handshake = new Handshake(
                headers,
                query,
                h.path("auth").isObject() ? h.get("auth") : Wire.NODES.objectNode(),
                h.path("address").asText(""),
                issued.isNumber() ? Instant.ofEpochMilli(issued.asLong()) : Instant.EPOCH,
                h.path("url").asText(""),
                h.path("secure").asBoolean(false));
        Map<String, Object> data = node.path("data").isObject()
                ? MAPPER.convertValue(
                        node.get("data"),
                        MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class))
                : new LinkedHashMap<>();
        // SocketDetails takes no null values: JSON nulls in data are left out
        data.values().removeIf(Objects::isNull);
        return new SocketDetails(
                node.path("id").asText(),
                nsp,
                handshake,
                new LinkedHashSet<>(Wire.stringList(node.get("rooms"))),
                data);
    }
}
