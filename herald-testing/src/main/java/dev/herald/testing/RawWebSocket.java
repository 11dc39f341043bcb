package dev.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A minimal WebSocket client over a plain socket, for sending frames the JDK client refuses to
 * send (invalid UTF-8, oversized frames), for clients that stop reading, and for reading the
 * server's answer as it is on the wire. Any server: herald-netty's and herald-servlet's tests
 * share it.
 *
 * <p>Threading: one test thread at a time.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** The HTTP status of the handshake answer (101 when upgraded). */
    public final int status;
    /** The handshake answer's status line and headers. */
    public final String responseHead;

    /** Connects to 127.0.0.1:port and sends the upgrade request with these extra headers (name, value, …). */
    public RawWebSocket(int port, String pathAndQuery, String... headers) throws IOException {
        this(connect(port, 0), port, pathAndQuery, headers);
    }

    /**
     * A client with a small socket receive buffer, for tests that stop reading: the server's
     * writes then back up in its own buffers quickly.
     */
    public static RawWebSocket withReceiveBuffer(int receiveBufferBytes, int port, String pathAndQuery)
            throws IOException {
        return new RawWebSocket(connect(port, receiveBufferBytes), port, pathAndQuery);
    }

    private static Socket connect(int port, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        if (receiveBufferBytes > 0) {
            s.setReceiveBufferSize(receiveBufferBytes);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    private RawWebSocket(Socket connected, int port, String pathAndQuery, String... headers) throws IOException {
        socket = connected;
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(port)
                .append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(Base64.getEncoder().encodeToString(new byte[16]))
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        responseHead = head.toString(StandardCharsets.US_ASCII);
        String[] first = responseHead.split(" ", 3);
        status = first.length > 1 ? Integer.parseInt(first[1]) : -1;
    }

    /** Sends one masked frame with the given opcode (1 text, 2 binary). */
    public void sendFrame(int opcode, byte[] payload) throws IOException {
        sendRaw(opcode, true, payload);
    }

    /** Sends one message deflated as permessage-deflate does it, with RSV1 set. */
    public void sendCompressed(int opcode, byte[] message) throws IOException {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try {
            deflater.setInput(message);
            byte[] buf = new byte[8192];
            int n;
            while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
                z.write(buf, 0, n);
            }
        } finally {
            deflater.end();
        }
        byte[] all = z.toByteArray();
        // RFC 7692 7.2.1: the 00 00 ff ff tail of the sync flush is not sent.
        sendRaw(opcode, true, Arrays.copyOf(all, all.length - 4), true);
    }

    /** Sends one masked frame; {@code fin=false} starts or continues a fragmented message. */
    public void sendRaw(int opcode, boolean fin, byte[] payload) throws IOException {
        sendRaw(opcode, fin, payload, false);
    }

    private void sendRaw(int opcode, boolean fin, byte[] payload, boolean rsv1) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >>> 8);
            f.write(len & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = {1, 2, 3, 4};
        f.write(mask);
        for (int i = 0; i < len; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one frame; returns {opcode, payload} packed as a Frame. */
    public Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.read();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) len);
        boolean rsv1 = (b0 & 0x40) != 0;
        return new Frame(b0 & 0x0f, payload, rsv1, rsv1 ? inflate(payload) : payload);
    }

    // Kept for the connection: the server compresses with context takeover.
    private final Inflater inflater = new Inflater(true);

    /** RFC 7692 7.2.2: the stripped 00 00 ff ff tail is put back before inflating. */
    private byte[] inflate(byte[] payload) throws IOException {
        byte[] in = Arrays.copyOf(payload, payload.length + 4);
        in[payload.length + 2] = (byte) 0xff;
        in[payload.length + 3] = (byte) 0xff;
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
        return out.toByteArray();
    }

    /** Reads frames until a close frame or end of stream; returns the close code or -1. */
    public int readUntilClosed() throws IOException {
        while (true) {
            Frame f;
            try {
                f = readFrame();
            } catch (SocketException e) {
                return -1;
            }
            if (f == null) {
                return -1;
            }
            if (f.opcode() == 8) {
                return f.payload().length >= 2 ? ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff) : 1005;
            }
        }
    }

    /**
     * One frame as received; {@code rsv1} is the permessage-deflate "compressed" bit, {@code data}
     * the payload inflated when it is set (else the payload itself).
     */
    public record Frame(int opcode, byte[] payload, boolean rsv1, byte[] data) {
        /** The (inflated) payload as UTF-8 text. */
        public String text() {
            return new String(data(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        socket.close();
    }
}
