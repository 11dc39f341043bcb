package dev.herald.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Aggregates request bodies up to {@code maxHttpBufferSize}. A larger body is answered 413 (by
 * Netty) and, if it was a POST to an Engine.IO session, that session is closed: it sent more than
 * it was allowed to.
 */
final class EngineAggregator extends HttpObjectAggregator {

    private final ServerContext server;

    EngineAggregator(ServerContext server, int maxContentLength) {
        super(maxContentLength);
        this.server = server;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            if (path.startsWith(server.path().substring(0, server.path().length() - 1))) {
                server.engine().rejectOversized(Requests.toHandshake(ctx.channel(), req, server.secure()));
            }
        }
        super.handleOversizedMessage(ctx, oversized);
    }
}
