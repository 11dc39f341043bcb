package dev.herald.socketio.adapter;

import dev.herald.socketio.parser.Packet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Adapter#admit} hands to a socket it is about to make visible.
 *
 * @param missed the packets a resumed session missed, in order, offsets included (none for a fresh session)
 * @param startOffset the session's {@link PersistedSession#startOffset()}: the resumed session's own,
 *     or for a fresh one the offset of the newest packet kept at that moment (empty when none)
 */
public record Admission(List<Packet> missed, Optional<String> startOffset) {

    /** Nothing missed, no offset: an adapter that keeps no packets. */
    public static final Admission FRESH = new Admission(List.of(), Optional.empty());

    public Admission {
        missed = List.copyOf(Objects.requireNonNull(missed, "missed"));
        Objects.requireNonNull(startOffset, "startOffset");
    }
}
