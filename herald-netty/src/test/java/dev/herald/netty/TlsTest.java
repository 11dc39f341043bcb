package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import dev.herald.testing.EngineIoTestClient;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS: a certificate made at test time with the JDK's keytool, served from the PKCS#12 file and
 * from PEM files; clients trusting it connect over {@code https://} polling and {@code wss://}.
 */
class TlsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static Path keyStoreFile;
    static Path certPem;
    static Path keyPem;
    static SSLContext trusting;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStoreFile = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "herald", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStoreFile.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            ks.load(in, PASSWORD);
        }
        Certificate cert = ks.getCertificate("herald");
        certPem = dir.resolve("cert.pem");
        keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", ks.getKey("herald", PASSWORD).getEncoded()));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("herald", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** An echo server with TLS configured by {@code tls}. */
    static final class EchoServer implements AutoCloseable {
        final BlockingQueue<EngineSocket> opened = new LinkedBlockingQueue<>();
        final NettyServer server;

        EchoServer(UnaryOperator<NettyServer.Builder> tls) {
            EngineIoServer engine = EngineIoServer.create(EngineIoOptions.defaults(), socket -> {
                opened.add(socket);
                return new EngineSocketListener() {
                    @Override
                    public void onMessage(EngineSocket s, Message message) {
                        s.send(message);
                    }

                    @Override
                    public void onClose(EngineSocket s, dev.herald.engineio.CloseReason reason, String description) {}
                };
            });
            server = tls.apply(NettyServer.builder().host("127.0.0.1").port(0).engine(engine)).build().start();
        }

        URI endpoint() {
            return URI.create("https://127.0.0.1:" + server.port() + "/socket.io/");
        }

        @Override
        public void close() {
            server.close();
        }
    }

    void echoesOverBothTransports(EchoServer s) throws Exception {
        for (String transport : new String[] {"polling", "websocket"}) {
            try (EngineIoTestClient c = EngineIoTestClient.builder(s.endpoint()).transport(transport)
                    .sslContext(trusting).connect()) {
                c.sendMessage("secret over " + transport);
                assertThat(c.nextMessage(WAIT).text()).isEqualTo("secret over " + transport);
                EngineSocket session = s.opened.poll(5, TimeUnit.SECONDS);
                assertThat(session).isNotNull();
                assertThat(session.request().secure()).isTrue();
            }
        }
    }

    @Test
    void aPkcs12KeyStoreServesHttpsPollingAndWss() throws Exception {
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, PASSWORD))) {
            echoesOverBothTransports(s);
        }
    }

    @Test
    void pemFilesServeHttpsPollingAndWss() throws Exception {
        try (EchoServer s = new EchoServer(b -> b.tls(certPem, keyPem))) {
            echoesOverBothTransports(s);
        }
    }

    @Test
    void anUpgradeFromHttpsPollingToWssKeepsTheSession() throws Exception {
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, PASSWORD));
                EngineIoTestClient c = EngineIoTestClient.builder(s.endpoint()).transport("polling")
                        .sslContext(trusting).connect()) {
            c.upgrade();
            assertThat(c.transport()).isEqualTo("websocket");
            c.sendMessage("after upgrade");
            assertThat(c.nextMessage(WAIT).text()).isEqualTo("after upgrade");
        }
    }

    @Test
    void aPlainHttpClientOnTheTlsPortIsDroppedAndATlsClientIsNotDisturbed() throws Exception {
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, PASSWORD));
                EngineIoTestClient good = EngineIoTestClient.builder(s.endpoint()).transport("websocket")
                        .sslContext(trusting).connect()) {
            try (Socket plain = new Socket("127.0.0.1", s.server.port())) {
                plain.setSoTimeout(5000);
                plain.getOutputStream().write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] answer = plain.getInputStream().readAllBytes();
                assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1 200");
            } catch (java.net.SocketException expected) {
                // reset by the server: also a refusal
            }
            good.sendMessage("fine");
            assertThat(good.nextMessage(WAIT).text()).isEqualTo("fine");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, PASSWORD))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> EngineIoTestClient.builder(s.endpoint()).transport("polling").connect())
                    .isNotNull();
        }
    }
}
