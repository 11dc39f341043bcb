/** Micrometer meters for a Herald server ({@code HeraldMetrics.bind(io, registry)}). */
module dev.herald.micrometer {
    requires transitive dev.herald.socketio;
    requires transitive micrometer.core;

    exports dev.herald.micrometer;
}
