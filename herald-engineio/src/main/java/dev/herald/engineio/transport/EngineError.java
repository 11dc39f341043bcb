package dev.herald.engineio.transport;

/** The HTTP errors of the Engine.IO server, with the reference's codes and messages. */
public enum EngineError {
    /** The transport is missing, unknown or disabled. */
    TRANSPORT_UNKNOWN(0, "Transport unknown"),
    /** No session has this sid (never existed, closed, or timed out). */
    UNKNOWN_SID(1, "Session ID unknown"),
    /** A handshake that is not a GET. */
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
    /** Anything else the protocol forbids. */
    BAD_REQUEST(3, "Bad request"),
    /** Refused by policy, for example the Origin. */
    FORBIDDEN(4, "Forbidden"),
    /** A missing, non-numeric or unsupported EIO version. */
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

    private final int code;
    private final String message;

    EngineError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The numeric code in the JSON body. */
    public int code() {
        return code;
    }

    /** The message in the JSON body. */
    public String message() {
        return message;
    }

    /** 403 for {@link #FORBIDDEN}, 400 otherwise, as the reference answers. */
    public int httpStatus() {
        return this == FORBIDDEN ? 403 : 400;
    }

    /** The JSON body: {@code {"code":N,"message":"..."}}. */
    public String json() {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
    }
}
