package dev.herald.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for {@code localhost} and {@code 127.0.0.1}, made at test time with the JDK's
 * {@code keytool} (EC P-256, valid two days): a PKCS#12 key store, the same key and certificate as
 * PEM files, and an {@link SSLContext} that trusts it, for TLS tests of any server.
 *
 * <p>Immutable; {@link #create(Path)} blocks while keytool runs.
 */
public final class SelfSignedCertificate {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path keyStore;
    private final Path certificatePem;
    private final Path privateKeyPem;
    private final SSLContext trusting;

    private SelfSignedCertificate(Path keyStore, Path certificatePem, Path privateKeyPem, SSLContext trusting) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.trusting = trusting;
    }

    /** Makes the certificate and its files in {@code dir} (a test's temporary folder). */
    public static SelfSignedCertificate create(Path dir)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path keyStoreFile = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "herald",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStoreFile.toString(),
                        "-storepass",
                        new String(PASSWORD),
                        "-keypass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            ks.load(in, PASSWORD);
        }
        Certificate cert = ks.getCertificate("herald");
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(
                keyPem, pem("PRIVATE KEY", ks.getKey("herald", PASSWORD).getEncoded()));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("herald", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
        return new SelfSignedCertificate(keyStoreFile, certPem, keyPem, trusting);
    }

    /** The PKCS#12 key store holding the key and certificate under the alias {@code herald}. */
    public Path keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()} and of its key (a copy). */
    public char[] password() {
        return PASSWORD.clone();
    }

    /** The certificate as a PEM file. */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The private key as an unencrypted PKCS#8 PEM file. */
    public Path privateKeyPem() {
        return privateKeyPem;
    }

    /** A client context that trusts this certificate (and nothing else). */
    public SSLContext trustingContext() {
        return trusting;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
