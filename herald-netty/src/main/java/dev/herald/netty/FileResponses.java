package dev.herald.netty;

import dev.herald.engineio.transport.ContentEncoding;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answer for a static file or the client bundle: a weak {@code ETag} from the content, 304 for
 * a matching {@code If-None-Match}, and gzip (or deflate) for text types of 1 KiB or more when the
 * request accepts it. Compressed bodies are cached by ETag, so the client bundle is compressed
 * once, not per request.
 *
 * <p>Threading: {@link #build} runs on the static-file virtual thread (hashing and compressing
 * are off the event loop); the cache is concurrent.
 */
final class FileResponses {

    private static final int THRESHOLD = 1024;
    // A few files (the bundle and its map, an app's pages): past this many the cache starts over.
    private static final int CACHE_ENTRIES = 64;
    private static final Map<String, byte[]> compressed = new ConcurrentHashMap<>();

    private FileResponses() {}

    /** The answer for this file; {@code head} leaves the body out but keeps the headers. */
    static FullHttpResponse build(HttpHeaders request, StaticFiles.Found file, boolean head) {
        byte[] bytes = file.bytes();
        String etag = etag(bytes);
        if (matches(request.get(HttpHeaderNames.IF_NONE_MATCH), etag)) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            res.headers().set(HttpHeaderNames.ETAG, etag);
            return res;
        }
        boolean compressible = compressible(file.contentType()) && bytes.length >= THRESHOLD;
        Optional<ContentEncoding> coding = compressible
                ? ContentEncoding.negotiate(Optional.ofNullable(request.get(HttpHeaderNames.ACCEPT_ENCODING)))
                : Optional.empty();
        byte[] body = coding.map(c -> compressedBody(c, etag, bytes)).orElse(bytes);
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
        res.headers().set(HttpHeaderNames.ETAG, etag);
        if (compressible) {
            res.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        coding.ifPresent(c -> res.headers().set(HttpHeaderNames.CONTENT_ENCODING, c.token()));
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return res;
    }

    /** Weak: the same tag stands for the plain and the compressed body, which are equivalent. */
    static String etag(byte[] bytes) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        // 128 bits: also the key of the compressed-body cache, so it must not collide.
        return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.substring(2);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static boolean compressible(String contentType) {
        return contentType.startsWith("text/")
                || contentType.startsWith("application/json")
                || contentType.startsWith("image/svg+xml");
    }

    private static byte[] compressedBody(ContentEncoding coding, String etag, byte[] bytes) {
        String key = coding.token() + " " + etag;
        byte[] cached = compressed.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] out = coding.encode(bytes);
        if (compressed.size() >= CACHE_ENTRIES) {
            compressed.clear();
        }
        compressed.put(key, out);
        return out;
    }
}
