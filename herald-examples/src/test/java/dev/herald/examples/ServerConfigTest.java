package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchFlaskSocketIo() {
        ServerConfig c = ServerConfig.load(new String[0], Map.of(), dir);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.debug()).isFalse();
        assertThat(c.redisUri()).isEmpty();
    }

    @Test
    void redisIsShortForRedisUriOnTheCommandLineAndInTheEnvironment() {
        ServerConfig flag = ServerConfig.load(new String[] {"--redis", "redis://127.0.0.1:6379"}, Map.of(), dir);
        ServerConfig env = ServerConfig.load(new String[0], Map.of("HERALD_REDIS", "redis://10.0.0.5:6379"), dir);

        assertThat(flag.redisUri()).contains("redis://127.0.0.1:6379");
        assertThat(flag.extra()).isEmpty();
        assertThat(env.redisUri()).contains("redis://10.0.0.5:6379");
    }

    @Test
    void keysNeitherTheRecordNorTheAppReadsAreUnused() {
        ServerConfig c = ServerConfig.load(
                new String[] {"--redis-cluster", "redis://h:6379", "--port", "1", "--tuning-ms", "5"},
                Map.of("HERALD_OTHER_KEY", "x"),
                dir);

        assertThat(c.redisUri()).isEmpty();
        assertThat(c.unusedKeys(List.of("tuning.ms"))).containsExactly("other-key", "redis-cluster");
        assertThat(c.warnUnusedKeys(List.of("tuning-ms", "other-key"))).containsExactly("redis-cluster");
        assertThat(ServerConfig.load(new String[] {"--redis", "redis://h"}, Map.of(), dir)
                        .unusedKeys(List.of()))
                .isEmpty();
    }

    @Nested
    class Precedence {

        @Test
        void flagsBeatEnvironmentWhichBeatsTheFile() throws IOException {
            Files.writeString(dir.resolve("herald.properties"), "port=6000\nhost=10.0.0.1\ndebug=true\ngreeting=hi\n");
            Map<String, String> env = Map.of("HERALD_PORT", "7000", "HERALD_HOST", "127.0.0.2");

            ServerConfig fileOnly = ServerConfig.load(new String[0], Map.of(), dir);
            assertThat(fileOnly.port()).isEqualTo(6000);
            assertThat(fileOnly.extra()).containsEntry("greeting", "hi");

            ServerConfig fileAndEnv = ServerConfig.load(new String[0], env, dir);
            assertThat(fileAndEnv.port()).isEqualTo(7000);
            assertThat(fileAndEnv.host()).isEqualTo("127.0.0.2");
            assertThat(fileAndEnv.debug()).isTrue();

            ServerConfig all = ServerConfig.load(new String[] {"--port", "8000", "--host=127.0.0.3"}, env, dir);
            assertThat(all.port()).isEqualTo(8000);
            assertThat(all.host()).isEqualTo("127.0.0.3");
        }

        @Test
        void namedConfigFileReplacesTheDefaultOne() throws IOException {
            Files.writeString(dir.resolve("herald.properties"), "port=6000\n");
            Files.writeString(dir.resolve("other.properties"), "port=6001\nredis.uri=redis://127.0.0.1:6379\n");
            ServerConfig c = ServerConfig.load(new String[] {"--config", "other.properties"}, Map.of(), dir);
            assertThat(c.port()).isEqualTo(6001);
            assertThat(c.redisUri()).contains("redis://127.0.0.1:6379");
            ServerConfig viaEnv = ServerConfig.load(new String[0], Map.of("HERALD_CONFIG", "other.properties"), dir);
            assertThat(viaEnv.port()).isEqualTo(6001);
        }

        @Test
        void bareDebugFlagMeansTrue() {
            ServerConfig c =
                    ServerConfig.load(new String[] {"--debug", "--port", "0"}, Map.of("HERALD_DEBUG", "false"), dir);
            assertThat(c.debug()).isTrue();
            assertThat(c.port()).isZero();
        }
    }

    @Nested
    class BadValues {

        @Test
        void portOutOfRangeNamesTheKeyAndTheRange() {
            assertThatThrownBy(() -> ServerConfig.load(new String[] {"--port", "70000"}, Map.of(), dir))
                    .isInstanceOf(ServerConfig.ConfigException.class)
                    .hasMessage("port: must be a whole number from 0 to 65535, got '70000'");
        }

        @Test
        void portFromEnvironmentThatIsNotANumber() {
            assertThatThrownBy(() -> ServerConfig.load(new String[0], Map.of("HERALD_PORT", "abc"), dir))
                    .hasMessageStartingWith("port: must be a whole number");
        }

        @Test
        void debugMustBeABoolean() {
            assertThatThrownBy(() -> ServerConfig.load(new String[] {"--debug", "maybe"}, Map.of(), dir))
                    .hasMessage("debug: must be true or false, got 'maybe'");
        }

        @Test
        void missingConfigFile() {
            assertThatThrownBy(() -> ServerConfig.load(new String[] {"--config", "nope.properties"}, Map.of(), dir))
                    .hasMessageStartingWith("config: no such file");
        }

        @Test
        void redisUriWithoutSchemeDoesNotEchoTheSecret() {
            assertThatThrownBy(() -> ServerConfig.load(new String[] {"--redis-uri", "secret@host"}, Map.of(), dir))
                    .hasMessage("redis-uri: must start with redis:// or rediss://")
                    .message()
                    .doesNotContain("secret");
        }

        @Test
        void strayArgument() {
            assertThatThrownBy(() -> ServerConfig.load(new String[] {"5000"}, Map.of(), dir))
                    .hasMessageStartingWith("unexpected argument '5000'")
                    .message()
                    .doesNotContain("\n");
        }
    }
}
