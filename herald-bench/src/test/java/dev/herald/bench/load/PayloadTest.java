package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 40, 200, 1023, 1024, 2048, 4096, 65536})
    void everyVariantIsJsonOfExactlyTheSizeAskedThatAJsonWriterWritesBackUnchanged(int bytes) throws Exception {
        for (String v : Payload.variants(bytes)) {
            assertThat(v).hasSize(bytes);
            assertThat(JSON.writeValueAsString(JSON.readTree(v))).isEqualTo(v);
        }
    }

    @Test
    void theSameSizeGivesTheSameBytesEveryTime() {
        assertThat(Payload.variants(2048)).isEqualTo(Payload.variants(2048));
    }

    @Test
    void noVariantRepeatsWithinTwoDeflateWindows() {
        String[] variants = Payload.variants(2048);

        assertThat(new HashSet<>(Arrays.asList(variants))).hasSize(variants.length);
        assertThat(variants.length * 2048).isGreaterThanOrEqualTo(2 * 32 * 1024);
    }

    @Test
    void oneMessageCompressesAsJsonDoesNotAsARepeatedCharacter() {
        byte[] text = Payload.variants(2048)[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Deflater deflater = new Deflater(6, true);
        deflater.setInput(text);
        deflater.finish();
        int compressed = deflater.deflate(new byte[4096], 0, 4096, Deflater.SYNC_FLUSH);
        deflater.end();

        assertThat(compressed).isBetween(2048 / 8, 2048 / 2);
    }

    @Test
    void aSizeTooSmallToFillIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Payload.variants(15)).hasMessage("--payload must be at least 16 bytes, got 15");
    }
}
