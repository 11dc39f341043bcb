/** Engine.IO v4 (and v3) without any I/O library: the protocol, the sessions, the transport SPI. */
module dev.herald.engineio {
    requires org.slf4j;

    exports dev.herald.engineio;
    exports dev.herald.engineio.parser;
    exports dev.herald.engineio.transport;
}
