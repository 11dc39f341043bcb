package dev.herald.spring.app;

import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.OnConnect;
import dev.herald.socketio.annotation.SocketNamespace;
import org.springframework.stereotype.Component;

// The handler class of README.md's "In a Spring Boot app", verbatim: keep the two in step.
@Component
@SocketNamespace("/chat")
public class ChatHandler {
    private final SocketIoServer io;

    public ChatHandler(SocketIoServer io) {
        this.io = io;
    }

    @OnConnect
    public void joined(Socket socket) {
        socket.join("lobby");
    }

    @On("message")
    public void message(Socket socket, String text) {
        io.of("/chat").to("lobby").emit("message", socket.id() + ": " + text);
    }
}
