package dev.herald.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Optional;

/** The handlers of every accepted connection: TLS if on, HTTP, the headers timeout, the engine's routes. */
final class ServerPipeline extends ChannelInitializer<SocketChannel> {

    private final ServerContext context;
    private final Optional<SslContext> sslContext;
    private final HttpDecoderConfig decoder;
    private final Duration headersTimeout;

    ServerPipeline(
            ServerContext context,
            Optional<SslContext> sslContext,
            HttpDecoderConfig decoder,
            Duration headersTimeout) {
        this.context = context;
        this.sslContext = sslContext;
        this.decoder = decoder;
        this.headersTimeout = headersTimeout;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (sslContext.isPresent()) {
            ch.pipeline().addLast("tls", sslContext.get().newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast("http", new HttpServerCodec(decoder))
                .addLast("headers-timeout", new HeadersTimeout(headersTimeout))
                .addLast(
                        "aggregator",
                        new EngineAggregator(context, context.engine().options().maxHttpBufferSize()))
                .addLast("router", new HttpRouter(context));
    }
}
