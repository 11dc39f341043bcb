package dev.herald.socketio.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.DisconnectReason;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.OnConnect;
import dev.herald.socketio.annotation.SocketNamespace;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Herald's API driven by the official Java client ({@code io.socket:socket.io-client} 2.1.x), over each transport. */
class JavaClientTest {

    private final SocketIoServer io = SocketIoServer.create();
    private final RunningServer server = new RunningServer(io);
    private final List<Socket> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(Socket::close);
        server.close();
    }

    /** A client with a recorder: every event of the listed names lands in the queue as name + args. */
    private record Recorded(String event, Object[] args) {}

    private Socket socket(String nsp, String transport, Map<String, String> auth) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(new String[] {transport})
                .setAuth(auth)
                .build();
        Socket s = IO.socket(server.uri(nsp), options);
        clients.add(s);
        return s;
    }

    private Socket connect(
            String nsp, String transport, Map<String, String> auth, BlockingQueue<Recorded> inbox, String... events)
            throws Exception {
        Socket s = socket(nsp, transport, auth);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        s.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
        s.on(
                Socket.EVENT_CONNECT_ERROR,
                a -> connected.completeExceptionally(new AssertionError("connect_error " + a[0])));
        for (String e : events) {
            s.on(e, a -> inbox.add(new Recorded(e, a)));
        }
        s.connect();
        connected.get(10, TimeUnit.SECONDS);
        return s;
    }

    private static Recorded next(BlockingQueue<Recorded> inbox) throws InterruptedException {
        Recorded r = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("an event").isNotNull();
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void connectsWithAuthThatMiddlewareAndConnectHandlerSee(String transport) throws Exception {
        io.use((socket, next) -> {
            socket.data().put("user", socket.handshake().auth("token").orElse("?"));
            next.proceed();
        });
        io.onConnect(socket -> socket.emit("welcome", socket.data().get("user"), socket.transport()));
        BlockingQueue<Recorded> inbox = new LinkedBlockingQueue<>();
        connect("/", transport, Map.of("token", "secret-1"), inbox, "welcome");
        Recorded welcome = next(inbox);
        assertThat(welcome.args()).containsExactly("secret-1", transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void clientAckGetsTheHandlersReturnValue(String transport) throws Exception {
        io.onCall("sum", (socket, args) -> args.get(0, Integer.class) + args.get(1, Integer.class));
        Socket s = connect("/", transport, Map.of(), new LinkedBlockingQueue<>());
        CompletableFuture<Object[]> ack = new CompletableFuture<>();
        s.emit("sum", 2, 3, (Ack) ack::complete);
        assertThat(ack.get(10, TimeUnit.SECONDS)).containsExactly(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void serverEmitWithAckGetsTheClientsAnswer(String transport) throws Exception {
        AtomicReference<EventArgs> answer = new AtomicReference<>();
        io.onConnect(socket -> answer.set(socket.call("question", Duration.ofSeconds(10), "what?")));
        Socket s = socket("/", transport, Map.of());
        s.on("question", a -> ((Ack) a[a.length - 1]).call("answer:" + a[0], 42));
        s.connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> answer.get() != null);
        assertThat(answer.get().string(0)).isEqualTo("answer:what?");
        assertThat(answer.get().get(1, Integer.class)).isEqualTo(42);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void roomsAndBroadcastsReachTheRightClients(String transport) throws Exception {
        io.on("join", (socket, args) -> {
            socket.join(args.string(0));
            args.ack();
        });
        io.on("shout", (socket, args) -> socket.broadcast().emit("shout", args.string(0)));
        io.on("to-room", (socket, args) -> io.to(args.string(0)).emit("room-news", args.string(1)));
        List<BlockingQueue<Recorded>> inboxes = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BlockingQueue<Recorded> q = new LinkedBlockingQueue<>();
            inboxes.add(q);
            sockets.add(connect("/", transport, Map.of(), q, "shout", "room-news"));
        }
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Object[]> joined = new CompletableFuture<>();
            sockets.get(i).emit("join", "blue", (Ack) joined::complete);
            joined.get(10, TimeUnit.SECONDS);
        }
        sockets.get(2).emit("to-room", "blue", "hello blue");
        assertThat(next(inboxes.get(0)).args()).containsExactly("hello blue");
        assertThat(next(inboxes.get(1)).args()).containsExactly("hello blue");
        sockets.get(0).emit("shout", "hey");
        assertThat(next(inboxes.get(1))).extracting(Recorded::event).isEqualTo("shout");
        assertThat(next(inboxes.get(2))).extracting(Recorded::event).isEqualTo("shout");
        assertThat(inboxes.get(0).poll(300, TimeUnit.MILLISECONDS))
                .as("the sender gets no broadcast")
                .isNull();
        assertThat(inboxes.get(2)).as("not in the room").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void binaryTravelsBothWays(String transport) throws Exception {
        io.on("bin", (socket, args) -> {
            byte[] data = args.get(0, byte[].class);
            byte[] reversed = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                reversed[i] = data[data.length - 1 - i];
            }
            socket.emit("bin-back", reversed, Map.of("nested", ByteBuffer.wrap(data)));
        });
        BlockingQueue<Recorded> inbox = new LinkedBlockingQueue<>();
        Socket s = connect("/", transport, Map.of(), inbox, "bin-back");
        s.emit("bin", (Object) new byte[] {1, 2, 3, 4});
        Recorded back = next(inbox);
        assertThat((byte[]) back.args()[0]).containsExactly(4, 3, 2, 1);
        assertThat((byte[]) ((JSONObject) back.args()[1]).get("nested")).containsExactly(1, 2, 3, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void refusedConnectionReachesConnectErrorWithData(String transport) throws Exception {
        io.of("/private").use((socket, next) -> {
            throw new ConnectionRefusedException("not allowed", Map.of("reason", "banned"));
        });
        Socket s = socket("/private", transport, Map.of());
        CompletableFuture<Object> error = new CompletableFuture<>();
        s.on(Socket.EVENT_CONNECT_ERROR, a -> error.complete(a[0]));
        s.connect();
        JSONObject err = (JSONObject) error.get(10, TimeUnit.SECONDS);
        assertThat(err.getString("message")).isEqualTo("not allowed");
        assertThat(err.getJSONObject("data").getString("reason")).isEqualTo("banned");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void disconnectsAreSeenOnBothSidesWithTheirReasons(String transport) throws Exception {
        BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
        io.onDisconnect((socket, reason) -> reasons.add(reason));
        io.on("kick-me", (socket, args) -> socket.disconnect());
        Socket a = connect("/", transport, Map.of(), new LinkedBlockingQueue<>());
        CompletableFuture<Object> clientSide = new CompletableFuture<>();
        a.on(Socket.EVENT_DISCONNECT, args -> clientSide.complete(args[0]));
        a.emit("kick-me");
        assertThat(clientSide.get(10, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
        assertThat(reasons.poll(10, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);

        Socket b = connect("/", transport, Map.of(), new LinkedBlockingQueue<>());
        b.disconnect();
        assertThat(reasons.poll(10, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void broadcastAckCollectsEveryClientsReply(String transport) throws Exception {
        for (int i = 0; i < 3; i++) {
            Socket s = socket("/", transport, Map.of());
            int n = i;
            s.on("poll", a -> ((Ack) a[a.length - 1]).call("vote-" + n));
            CompletableFuture<Void> up = new CompletableFuture<>();
            s.on(Socket.EVENT_CONNECT, a -> up.complete(null));
            s.connect();
            up.get(10, TimeUnit.SECONDS);
        }
        List<EventArgs> votes =
                io.timeout(Duration.ofSeconds(10)).emitWithAck("poll").get(15, TimeUnit.SECONDS);
        assertThat(votes).extracting(v -> v.string(0)).containsExactlyInAnyOrder("vote-0", "vote-1", "vote-2");
    }

    @SocketNamespace("/annotated")
    static class Annotated {
        @OnConnect
        void hello(dev.herald.socketio.Socket socket) {
            socket.emit("hello", socket.namespace().name());
        }

        @On("upper")
        String upper(String text) {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void annotatedHandlersServeTheJavaClient(String transport) throws Exception {
        io.register(new Annotated());
        BlockingQueue<Recorded> inbox = new LinkedBlockingQueue<>();
        Socket s = connect("/annotated", transport, Map.of(), inbox, "hello");
        assertThat(next(inbox).args()).containsExactly("/annotated");
        CompletableFuture<Object[]> ack = new CompletableFuture<>();
        s.emit("upper", "shout", (Ack) ack::complete);
        assertThat(ack.get(10, TimeUnit.SECONDS)).containsExactly("SHOUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void dynamicNamespacesAreCreatedOnConnectAndShareTheParentsHandlers(String transport) throws Exception {
        Namespace rooms = io.of(Pattern.compile("/room-\\d+"));
        rooms.onCall("where", (socket, args) -> socket.namespace().name());
        Socket a = connect("/room-1", transport, Map.of(), new LinkedBlockingQueue<>());
        Socket b = connect("/room-22", transport, Map.of(), new LinkedBlockingQueue<>());
        CompletableFuture<Object[]> whereA = new CompletableFuture<>();
        CompletableFuture<Object[]> whereB = new CompletableFuture<>();
        a.emit("where", (Ack) whereA::complete);
        b.emit("where", (Ack) whereB::complete);
        assertThat(whereA.get(10, TimeUnit.SECONDS)).containsExactly("/room-1");
        assertThat(whereB.get(10, TimeUnit.SECONDS)).containsExactly("/room-22");

        Socket refused = socket("/room-x", transport, Map.of());
        CompletableFuture<Object> error = new CompletableFuture<>();
        refused.on(Socket.EVENT_CONNECT_ERROR, args -> error.complete(args[0]));
        refused.connect();
        assertThat(((JSONObject) error.get(10, TimeUnit.SECONDS)).getString("message"))
                .isEqualTo("Invalid namespace");
    }
}
