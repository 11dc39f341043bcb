package dev.herald.spring;

import dev.herald.redis.RedisAdapter;
import dev.herald.redis.RedisAdapterOptions;
import dev.herald.socketio.adapter.AdapterFactory;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code herald.redis.enabled=true}: the adapter factory is herald-redis's, connected to the Redis
 * server the application's {@code spring.data.redis.*} settings (or a service connection) name.
 * Herald opens its own two Lettuce connections there: pub/sub cannot share the application's
 * command connection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({RedisAdapter.class, DataRedisConnectionDetails.class})
@ConditionalOnProperty(prefix = "herald.redis", name = "enabled", havingValue = "true")
class RedisAdapterConfiguration {

    @Bean
    @ConditionalOnMissingBean(AdapterFactory.class)
    public RedisAdapter.Factory heraldRedisAdapterFactory(
            DataRedisConnectionDetails details, HeraldProperties properties) {
        return RedisAdapter.factory(RedisAdapterOptions.builder(uri(details))
                .key(properties.redis().key())
                .build());
    }

    /** Lettuce's URI for a standalone Redis; the other topologies are refused by name. */
    static String uri(DataRedisConnectionDetails details) {
        if (details.getSentinel() != null || details.getCluster() != null || details.getMasterReplica() != null) {
            throw new IllegalStateException(
                    "herald.redis.enabled supports a standalone Redis only; for Sentinel or Cluster declare an AdapterFactory bean");
        }
        if (details.getSslBundle() != null) {
            throw new IllegalStateException(
                    "herald.redis.enabled does not take spring.data.redis.ssl yet; declare a RedisAdapter.Factory bean"
                            + " with RedisAdapterOptions.trustedCertificates");
        }
        DataRedisConnectionDetails.Standalone s = details.getStandalone();
        String user = details.getUsername();
        String password = details.getPassword();
        String userInfo = password == null ? null : (user == null ? "" : user) + ":" + password;
        try {
            // The multi-argument constructor quotes what a password may contain.
            return new URI("redis", userInfo, s.getHost(), s.getPort(), "/" + s.getDatabase(), null, null)
                    .toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("spring.data.redis settings make no Redis URI: " + e.getMessage(), e);
        }
    }
}
