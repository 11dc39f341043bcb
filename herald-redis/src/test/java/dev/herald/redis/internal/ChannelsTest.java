package dev.herald.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelsTest {

    final Channels channels = new Channels("socket.io", "/chat");

    @Test
    void namesTheChannelsAsNodesRedisAdapter() {
        assertThat(channels.broadcast()).isEqualTo("socket.io#/chat#");
        assertThat(channels.room("r1")).isEqualTo("socket.io#/chat#r1#");
        assertThat(channels.broadcastPattern()).isEqualTo("socket.io#/chat#*");
        assertThat(channels.request()).isEqualTo("socket.io-request#/chat#");
        assertThat(channels.response()).isEqualTo("socket.io-response#/chat#");
        assertThat(channels.response("abc")).isEqualTo("socket.io-response#/chat#abc#");
    }

    @Test
    void aBroadcastToOneRoomUsesTheRoomChannel() {
        assertThat(channels.broadcastTo(List.of("r1"))).isEqualTo("socket.io#/chat#r1#");
        assertThat(channels.broadcastTo(List.of())).isEqualTo("socket.io#/chat#");
        assertThat(channels.broadcastTo(List.of("a", "b"))).isEqualTo("socket.io#/chat#");
    }

    @Test
    void readsTheRoomBackFromAChannel() {
        assertThat(channels.roomOf("socket.io#/chat#")).isEmpty();
        assertThat(channels.roomOf("socket.io#/chat#r#1#")).isEqualTo("r#1");
        assertThat(channels.roomOf("socket.io#/other#")).isNull();
    }
}
