package dev.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Handshake;
import dev.herald.socketio.RemoteSocket;
import dev.herald.socketio.Socket;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The payloads the dashboard reads, shaped as Node's {@code instrument()} sends them: the
 * serialized socket with its handshake, JavaScript dates, an event's arguments with its name first.
 * Stateless; any thread.
 */
final class Serialized {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Data values are converted as handlers' emits convert them.
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // What JSON.stringify makes of a Date: always milliseconds, always UTC.
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    // What Date.prototype.toString makes, Node's handshake.time.
    private static final DateTimeFormatter DATE_STRING =
            DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT'xx", Locale.ENGLISH);

    private Serialized() {}

    /** A timestamp as the dashboard receives a JavaScript {@code Date}. */
    static String date(Instant instant) {
        return ISO.format(instant);
    }

    /** A socket of this node, with its transport and connection id. */
    static ObjectNode socket(Socket socket) {
        return socket(
                socket.id(),
                socket.namespace().name(),
                socket.handshake(),
                socket.rooms(),
                socket.data(),
                Optional.of(socket));
    }

    /** A socket as {@code fetchSockets} reports it (maybe of another node); {@code local} when it is here. */
    static ObjectNode socket(RemoteSocket remote, String nsp, Optional<Socket> local) {
        return socket(remote.id(), nsp, remote.handshake(), remote.rooms(), remote.data(), local);
    }

    private static ObjectNode socket(
            String id,
            String nsp,
            Handshake handshake,
            Set<String> rooms,
            Map<String, Object> data,
            Optional<Socket> local) {
        ObjectNode out = NODES.objectNode().put("id", id);
        // Node keeps these in data._admin, so other nodes' sockets carry them; ours are read live.
        JsonNode admin = MAPPER.valueToTree(data.getOrDefault("_admin", Map.of()));
        Optional<String> clientId = local.map(s -> clientId(s.conn().id()))
                .or(() -> Optional.ofNullable(admin.path("clientId").textValue()));
        Optional<String> transport = local.map(Socket::transport)
                .or(() -> Optional.ofNullable(admin.path("transport").textValue()));
        clientId.ifPresent(c -> out.put("clientId", c));
        transport.ifPresent(t -> out.put("transport", t));
        out.put("nsp", nsp);
        out.set("data", data(data));
        out.set("handshake", handshake(handshake));
        ArrayNode roomList = out.putArray("rooms");
        rooms.forEach(roomList::add);
        return out;
    }

    /** The connection id as Node's admin shows it: its first 12 characters. */
    static String clientId(String engineId) {
        return engineId.length() > 12 ? engineId.substring(0, 12) : engineId;
    }

    static ObjectNode data(Map<String, Object> data) {
        ObjectNode out = NODES.objectNode();
        data.forEach((k, v) -> {
            if (!k.equals("_admin")) {
                out.set(k, MAPPER.valueToTree(v));
            }
        });
        return out;
    }

    private static ObjectNode handshake(Handshake h) {
        ObjectNode out = NODES.objectNode();
        out.put(
                "address",
                h.header("cf-connecting-ip")
                        .or(() -> h.header("x-forwarded-for"))
                        .orElse(h.address()));
        ObjectNode headers = out.putObject("headers");
        h.headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        ObjectNode query = out.putObject("query");
        h.query().forEach(query::put);
        out.put("issued", h.time().toEpochMilli());
        out.put("secure", h.secure());
        ZoneId zone = ZoneId.systemDefault();
        out.put(
                "time",
                DATE_STRING.format(h.time().atZone(zone)) + " (" + zone.getDisplayName(TextStyle.FULL, Locale.ENGLISH)
                        + ")");
        out.put("url", h.url());
        out.put("xdomain", h.header("origin").isPresent());
        return out;
    }

    /** An event as {@code onAny} sees it in Node: the name, then the arguments. */
    static ArrayNode event(String event, EventArgs args) {
        ArrayNode out = NODES.arrayNode().add(event);
        List<JsonNode> nodes = args.nodes();
        nodes.forEach(out::add);
        return out;
    }
}
