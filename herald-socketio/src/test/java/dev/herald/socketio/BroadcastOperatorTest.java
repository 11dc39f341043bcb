package dev.herald.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engineio.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BroadcastOperatorTest {

    private final SocketIoServer io = SocketIoServer.create();
    private final AtomicReference<Socket> last = new AtomicReference<>();

    {
        io.onConnect(last::set);
    }

    @AfterEach
    void close() {
        io.close();
    }

    private Socket connected(FakeEngineSocket c) throws Exception {
        last.set(null);
        c.connect("/");
        await().until(() -> last.get() != null);
        return last.get();
    }

    @Test
    void broadcastIsEncodedOnceAndTheSameMessageGoesToEveryRecipient() throws Exception {
        FakeEngineSocket a = new FakeEngineSocket(io);
        FakeEngineSocket b = new FakeEngineSocket(io);
        connected(a);
        connected(b);
        io.emit("news", new byte[] {1});
        Message textA = a.next();
        Message textB = b.next();
        assertThat(textA.text()).isEqualTo("51-[\"news\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(textA).isSameAs(textB);
        assertThat(a.next()).isSameAs(b.next());
    }

    @Test
    void toAndExceptSelectRecipients() throws Exception {
        FakeEngineSocket a = new FakeEngineSocket(io);
        FakeEngineSocket b = new FakeEngineSocket(io);
        FakeEngineSocket c = new FakeEngineSocket(io);
        connected(a).join("r1");
        connected(b).join("r1", "vip");
        connected(c).join("r2");
        io.to("r1", "r2").except("vip").emit("m");
        assertThat(a.nextText()).isEqualTo("2[\"m\"]");
        assertThat(c.nextText()).isEqualTo("2[\"m\"]");
        b.assertNothingWithin(100);
    }

    @Test
    void inIsToUnderNodesOtherName() throws Exception {
        FakeEngineSocket a = new FakeEngineSocket(io);
        FakeEngineSocket b = new FakeEngineSocket(io);
        Socket sa = connected(a).join("r1");
        connected(b).join("r1");
        io.in("r1").emit("io");
        io.sockets().in("r1").emit("nsp");
        sa.in("r1").emit("socket");
        assertThat(a.nextText()).isEqualTo("2[\"io\"]");
        assertThat(a.nextText()).isEqualTo("2[\"nsp\"]");
        assertThat(b.nextText()).isEqualTo("2[\"io\"]");
        assertThat(b.nextText()).isEqualTo("2[\"nsp\"]");
        assertThat(b.nextText()).isEqualTo("2[\"socket\"]");
        a.assertNothingWithin(100);
    }

    @Test
    void operatorIsImmutable() {
        BroadcastOperator base = io.to("a");
        BroadcastOperator narrowed = base.except("b").asVolatile();
        assertThat(base.options().except()).isEmpty();
        assertThat(base.options().flags().volatileFlag()).isFalse();
        assertThat(narrowed.options().except()).containsExactly("b");
        assertThat(narrowed.options().rooms()).containsExactly("a");
    }

    @Test
    void emitWithAckCollectsEveryRecipientsAnswer() throws Exception {
        FakeEngineSocket a = new FakeEngineSocket(io);
        FakeEngineSocket b = new FakeEngineSocket(io);
        connected(a);
        connected(b);
        CompletableFuture<List<EventArgs>> f = io.timeout(Duration.ofSeconds(5)).emitWithAck("q");
        String wa = a.nextText();
        String wb = b.nextText();
        assertThat(wa).isEqualTo(wb);
        String id = wa.substring(1, wa.indexOf('['));
        a.deliver("3" + id + "[\"a\"]");
        b.deliver("3" + id + "[\"b\"]");
        List<EventArgs> answers = f.get(5, TimeUnit.SECONDS);
        assertThat(answers).extracting(x -> x.string(0)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void emitWithAckFailsWhenARecipientDoesNotAnswerInTime() throws Exception {
        FakeEngineSocket a = new FakeEngineSocket(io);
        connected(a);
        CompletableFuture<List<EventArgs>> f =
                io.timeout(Duration.ofMillis(100)).emitWithAck("q");
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AckTimeoutException.class);
    }

    @Test
    void emitWithAckWithNoRecipientCompletesEmpty() throws Exception {
        assertThat(io.to("nobody")
                        .timeout(Duration.ofSeconds(1))
                        .emitWithAck("q")
                        .get(5, TimeUnit.SECONDS))
                .isEmpty();
    }

    @Test
    void socketsJoinLeaveFetchAndDisconnect() throws Exception {
        FakeEngineSocket a = new FakeEngineSocket(io);
        FakeEngineSocket b = new FakeEngineSocket(io);
        Socket sa = connected(a);
        Socket sb = connected(b);
        sa.data().put("name", "ann");
        io.socketsJoin("all");
        assertThat(sa.rooms()).contains("all");
        io.to(sb.id()).socketsLeave("all");
        assertThat(sb.rooms()).doesNotContain("all");
        List<RemoteSocket> inAll = io.to("all").fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(inAll).extracting(RemoteSocket::id).containsExactly(sa.id());
        assertThat(inAll.get(0).data()).containsEntry("name", "ann");
        inAll.get(0).emit("direct");
        assertThat(a.nextText()).isEqualTo("2[\"direct\"]");
        io.to("all").disconnectSockets(false);
        assertThat(a.nextText()).isEqualTo("1");
        await().until(() -> io.sockets().sockets().size() == 1);
    }

    @Test
    void parentNamespaceBroadcastReachesEveryChild() throws Exception {
        Namespace parent = io.of(Pattern.compile("/p\\d"));
        FakeEngineSocket a = new FakeEngineSocket(io);
        FakeEngineSocket b = new FakeEngineSocket(io);
        a.connect("/p1");
        b.connect("/p2");
        parent.emit("hello");
        assertThat(a.nextText()).isEqualTo("2/p1,[\"hello\"]");
        assertThat(b.nextText()).isEqualTo("2/p2,[\"hello\"]");
    }
}
