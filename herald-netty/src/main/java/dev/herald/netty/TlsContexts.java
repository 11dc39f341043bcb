package dev.herald.netty;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/** The server's TLS context from what {@code NettyServer.Builder.tls(...)} is given, on the JDK's provider. */
final class TlsContexts {

    private TlsContexts() {}

    static SslContext fromPem(Path certificateChainPem, Path privateKeyPem) {
        try {
            return SslContextBuilder.forServer(certificateChainPem.toFile(), privateKeyPem.toFile())
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "tls: cannot use " + certificateChainPem + " and " + privateKeyPem + ": " + e.getMessage(), e);
        }
    }

    static SslContext fromKeyStore(KeyStore keyStore, char[] password) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).build();
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalArgumentException("tls: cannot use the key store: " + e.getMessage(), e);
        }
    }

    static SslContext fromKeyStoreFile(Path keyStoreFile, char[] password) {
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore ks = KeyStore.getInstance(keyStoreFile.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password);
            return fromKeyStore(ks, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls: cannot read key store " + keyStoreFile + ": " + e.getMessage(), e);
        }
    }
}
