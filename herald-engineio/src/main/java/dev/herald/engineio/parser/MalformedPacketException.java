package dev.herald.engineio.parser;

/**
 * The one exception the Engine.IO codecs throw: the input is not valid Engine.IO. The server
 * answers it by closing that session with reason {@code parse error}.
 *
 * <p>The message describes the problem but never contains the payload.
 */
public final class MalformedPacketException extends RuntimeException {

    /** Creates the exception; {@code problem} must not contain user data. */
    public MalformedPacketException(String problem) {
        super(problem, null, false, false);
    }
}
