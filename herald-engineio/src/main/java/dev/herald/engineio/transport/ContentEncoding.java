package dev.herald.engineio.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP content codings Herald compresses with, {@code gzip} and {@code deflate} (zlib format,
 * as RFC 9110 defines it), and the choice between them from a request's {@code Accept-Encoding}.
 * Used for polling answers and for static files; transports may use it for anything else they
 * serve.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
public enum ContentEncoding {
    /** {@code gzip}, preferred when the client weighs both the same. */
    GZIP("gzip"),
    /** {@code deflate}: a zlib stream. */
    DEFLATE("deflate");

    private final String token;

    ContentEncoding(String token) {
        this.token = token;
    }

    /** The value of the {@code Content-Encoding} header. */
    public String token() {
        return token;
    }

    /**
     * The coding to answer a request with this {@code Accept-Encoding} header: the one with the
     * highest q-value above 0, {@code gzip} on a tie; {@code *} stands for a coding not named.
     * Empty when the header is absent or accepts neither.
     */
    public static Optional<ContentEncoding> negotiate(Optional<String> acceptEncoding) {
        Objects.requireNonNull(acceptEncoding, "acceptEncoding");
        if (acceptEncoding.isEmpty()) {
            return Optional.empty();
        }
        double gzip = -1;
        double deflate = -1;
        double any = -1;
        for (String part : acceptEncoding.get().split(",")) {
            String[] fields = part.split(";");
            String name = fields[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String param = fields[i].trim();
                if (param.length() > 2
                        && (param.charAt(0) == 'q' || param.charAt(0) == 'Q')
                        && param.charAt(1) == '=') {
                    try {
                        q = Double.parseDouble(param.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            switch (name) {
                case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                case "deflate" -> deflate = Math.max(deflate, q);
                case "*" -> any = Math.max(any, q);
                default -> {}
            }
        }
        if (gzip < 0) {
            gzip = any;
        }
        if (deflate < 0) {
            deflate = any;
        }
        if (gzip <= 0 && deflate <= 0) {
            return Optional.empty();
        }
        return Optional.of(gzip >= deflate ? GZIP : DEFLATE);
    }

    /** These bytes compressed with this coding, at zlib's default level. */
    public byte[] encode(byte[] data) {
        Objects.requireNonNull(data, "data");
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try {
            if (this == GZIP) {
                try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
                    gz.write(data);
                }
            } else {
                Deflater deflater = new Deflater();
                try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater, 8192)) {
                    z.write(data);
                } finally {
                    // The native zlib context is freed now, not when the collector gets to it.
                    deflater.end();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }
}
