package dev.herald.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineIoOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import dev.herald.testing.EngineIoTestClient;
import dev.herald.testing.SelfSignedCertificate;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS: a certificate made at test time with the JDK's keytool (herald-testing's
 * {@link SelfSignedCertificate}), served from the PKCS#12 file and
 * from PEM files; clients trusting it connect over {@code https://} polling and {@code wss://}.
 */
class TlsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static Path keyStoreFile;
    static Path certPem;
    static Path keyPem;
    static char[] password;
    static SSLContext trusting;

    @BeforeAll
    static void makeCertificate() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        keyStoreFile = cert.keyStore();
        certPem = cert.certificatePem();
        keyPem = cert.privateKeyPem();
        password = cert.password();
        trusting = cert.trustingContext();
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
                    public void onClose(EngineSocket s, CloseReason reason, String description) {}
                };
            });
            server = tls.apply(NettyServer.builder().host("127.0.0.1").port(0).engine(engine))
                    .build()
                    .start();
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
            try (EngineIoTestClient c = EngineIoTestClient.builder(s.endpoint())
                    .transport(transport)
                    .sslContext(trusting)
                    .connect()) {
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
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, password))) {
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
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, password));
                EngineIoTestClient c = EngineIoTestClient.builder(s.endpoint())
                        .transport("polling")
                        .sslContext(trusting)
                        .connect()) {
            c.upgrade();
            assertThat(c.transport()).isEqualTo("websocket");
            c.sendMessage("after upgrade");
            assertThat(c.nextMessage(WAIT).text()).isEqualTo("after upgrade");
        }
    }

    @Test
    void aPlainHttpClientOnTheTlsPortIsDroppedAndATlsClientIsNotDisturbed() throws Exception {
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, password));
                EngineIoTestClient good = EngineIoTestClient.builder(s.endpoint())
                        .transport("websocket")
                        .sslContext(trusting)
                        .connect()) {
            try (Socket plain = new Socket("127.0.0.1", s.server.port())) {
                plain.setSoTimeout(5000);
                plain.getOutputStream()
                        .write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                byte[] answer = plain.getInputStream().readAllBytes();
                assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1 200");
            } catch (SocketException expected) {
                // reset by the server: also a refusal
            }
            good.sendMessage("fine");
            assertThat(good.nextMessage(WAIT).text()).isEqualTo("fine");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        try (EchoServer s = new EchoServer(b -> b.tls(keyStoreFile, password))) {
            Assertions.assertThatThrownBy(() -> EngineIoTestClient.builder(s.endpoint())
                            .transport("polling")
                            .connect())
                    .isNotNull();
        }
    }
}
