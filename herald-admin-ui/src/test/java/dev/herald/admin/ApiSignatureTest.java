package dev.herald.admin;

import dev.herald.apicheck.ApiSignature;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Fails when the public surface of this module changes without its api file: see ApiSignature. */
class ApiSignatureTest {

    @Test
    void publicSurfaceMatchesTheCommittedApiFile() throws Exception {
        ApiSignature.verify(Path.of("target/classes"), Path.of("api/herald-admin-ui.api"));
    }
}
