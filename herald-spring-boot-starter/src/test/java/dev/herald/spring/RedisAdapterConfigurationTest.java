package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/** How Boot's Redis connection details become the Redis URI herald-redis takes. */
class RedisAdapterConfigurationTest {

    private static DataRedisConnectionDetails details(String user, String password, int db) {
        return new DataRedisConnectionDetails() {
            @Override
            public String getUsername() {
                return user;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public Standalone getStandalone() {
                return Standalone.of("redis.internal", 6380, db);
            }
        };
    }

    @Test
    void userPasswordAndDatabaseGoIntoTheUriQuoted() {
        assertThat(RedisAdapterConfiguration.uri(details("app", "p w%", 3)))
                .isEqualTo("redis://app:p%20w%25@redis.internal:6380/3");
    }

    @Test
    void noPasswordMeansNoUserInfo() {
        assertThat(RedisAdapterConfiguration.uri(details(null, null, 0))).isEqualTo("redis://redis.internal:6380/0");
    }

    @Test
    void aClusterIsRefusedByName() {
        DataRedisConnectionDetails cluster = new DataRedisConnectionDetails() {
            @Override
            public Cluster getCluster() {
                return List::of;
            }
        };
        assertThatThrownBy(() -> RedisAdapterConfiguration.uri(cluster)).hasMessageContaining("standalone Redis only");
    }
}
