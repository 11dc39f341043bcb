package dev.herald.examples;

import dev.herald.netty.NettyServer;
import dev.herald.socketio.SocketIoServer;
import java.util.Map;
public class Quickstart {
    static final String PAGE = """
        <button onclick="socket.emit('request_for_response', {})">Send</button><ul id="log"></ul>
        <script src="/socket.io/socket.io.min.js"></script><script>const socket = io("/testnamespace");
        socket.on("response", (r) => log.append(Object.assign(document.createElement("li"), {textContent: r.msg})));</script>""";
    public static void main(String[] args) throws Exception {
        SocketIoServer io = SocketIoServer.create();
        io.of("/testnamespace").on("request_for_response", (socket, event) -> {
            socket.emit("response", Map.of("code", "200", "msg", "start to process..."));
            Thread.sleep(5000); // a virtual thread: stalls no one
            socket.emit("response", Map.of("code", "200", "msg", "processed"));
        });
        NettyServer.builder().port(args.length > 0 ? Integer.parseInt(args[0]) : 5000).engine(io.engine()).page("/", PAGE).build().start();
    }
}
