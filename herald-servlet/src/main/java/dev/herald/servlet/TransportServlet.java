package dev.herald.servlet;

import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.HttpRequestView;
import dev.herald.engineio.ResponseHeaders;
import dev.herald.engineio.transport.CorsPolicy;
import dev.herald.engineio.transport.EngineError;
import dev.herald.engineio.transport.SessionExecutor;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet on the Engine.IO path: the Origin check, CORS preflights, polling requests (async,
 * bodies read without blocking up to {@code maxHttpBufferSize}) and the WebSocket upgrade, which
 * is checked by the engine and then handed to the container's Jakarta WebSocket implementation.
 *
 * <p>Threading: container threads run {@link #service}; they build the request and hand it to the
 * engine, which answers from a session loop. None of them waits for a poll.
 */
final class TransportServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(TransportServlet.class);
    private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";

    private final ServletTransport transport;
    private final EngineIoServer engine;
    private final CorsPolicy cors;

    TransportServlet(ServletTransport transport, CorsPolicy cors) {
        this.transport = transport;
        this.engine = transport.engine();
        this.cors = cors;
    }

    /** The application stops: its sessions are closed before the container closes their connections. */
    @Override
    public void destroy() {
        transport.close();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String rest = req.getPathInfo();
        if (rest != null && !rest.equals("/")) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Optional<String> origin = ServletRequests.header(req, "Origin");
        CorsPolicy.Verdict verdict = cors.verdict(origin, ServletRequests.header(req, "Host"));
        if (verdict == CorsPolicy.Verdict.REFUSED) {
            log.debug("refusing {} {} from a foreign origin", req.getMethod(), req.getRequestURI());
            HandshakeRequest hr = ServletRequests.toHandshake(req);
            sendError(
                    res,
                    engine.refuse(
                            new HttpRequestView(req.getMethod(), hr),
                            EngineError.FORBIDDEN,
                            Map.of("name", "ORIGIN_NOT_ALLOWED")),
                    Map.of());
            return;
        }
        if (req.getMethod().equals("OPTIONS")) {
            res.setStatus(HttpServletResponse.SC_NO_CONTENT);
            cors.addPreflightHeaders(
                    verdict, origin, ServletRequests.header(req, "Access-Control-Request-Headers"), res::addHeader);
            return;
        }
        HandshakeRequest hr = ServletRequests.toHandshake(req);
        if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            upgrade(req, res, hr);
            return;
        }
        List<Map.Entry<String, String>> corsHeaders = new ArrayList<>(2);
        cors.addHeaders(verdict, origin, (name, value) -> corsHeaders.add(Map.entry(name, value)));
        AsyncContext async = req.startAsync();
        // No container timeout: the engine answers every parked poll within pingInterval.
        async.setTimeout(0);
        if (!req.getMethod().equals("POST")) {
            engine.handleRequest(new ServletEngineRequest(
                    async, req.getMethod(), hr, new byte[0], loopFor(hr), List.copyOf(corsHeaders)));
            return;
        }
        int max = engine.options().maxHttpBufferSize();
        if (req.getContentLengthLong() > max) {
            tooLarge(async, hr);
            return;
        }
        ServletInputStream in = req.getInputStream();
        in.setReadListener(new BodyReader(in, async, hr, max, List.copyOf(corsHeaders)));
    }

    /** Reads a POST body without blocking, then hands the request to the engine. */
    private final class BodyReader implements ReadListener {
        private final ServletInputStream in;
        private final AsyncContext async;
        private final HandshakeRequest hr;
        private final int max;
        private final List<Map.Entry<String, String>> corsHeaders;
        // Owned by the container thread that calls this listener (never two at once).
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[8192];
        private boolean refused;

        BodyReader(
                ServletInputStream in,
                AsyncContext async,
                HandshakeRequest hr,
                int max,
                List<Map.Entry<String, String>> corsHeaders) {
            this.in = in;
            this.async = async;
            this.hr = hr;
            this.max = max;
            this.corsHeaders = corsHeaders;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!refused && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                if (body.size() + n > max) {
                    refused = true;
                    tooLarge(async, hr);
                    return;
                }
                body.write(chunk, 0, n);
            }
        }

        @Override
        public void onAllDataRead() {
            if (!refused) {
                engine.handleRequest(
                        new ServletEngineRequest(async, "POST", hr, body.toByteArray(), loopFor(hr), corsHeaders));
            }
        }

        @Override
        public void onError(Throwable t) {
            log.debug("reading a polling body failed", t);
            async.complete();
        }
    }

    /** 413, and the session named by the sid closes: it sent more than it may. */
    private void tooLarge(AsyncContext async, HandshakeRequest hr) {
        log.debug("refusing a body over maxHttpBufferSize on {}", hr.url());
        engine.rejectOversized(hr);
        HttpServletResponse res = (HttpServletResponse) async.getResponse();
        res.setStatus(413);
        // The rest of the body is not read: the connection cannot carry another request.
        res.setHeader("Connection", "close");
        byte[] text = "Payload Too Large".getBytes(StandardCharsets.UTF_8);
        res.setContentType("text/plain; charset=UTF-8");
        res.setContentLength(text.length);
        try {
            ServletEngineRequest.write(async, res.getOutputStream(), text);
        } catch (IOException | RuntimeException e) {
            async.complete();
        }
    }

    private void upgrade(HttpServletRequest req, HttpServletResponse res, HandshakeRequest hr) throws IOException {
        if (!req.getMethod().equals("GET")) {
            sendError(
                    res,
                    engine.refuse(
                            new HttpRequestView(req.getMethod(), hr),
                            EngineError.BAD_REQUEST,
                            Map.of("name", "BAD_UPGRADE_METHOD")),
                    Map.of());
            return;
        }
        ResponseHeaders extra = new ResponseHeaders();
        Optional<ConnectionError> error = engine.checkUpgrade(hr, extra);
        if (error.isPresent()) {
            sendError(res, error.get(), extra.toMap());
            return;
        }
        Object container = req.getServletContext().getAttribute(SERVER_CONTAINER);
        if (!(container instanceof ServerContainer sc)) {
            log.warn(
                    "a WebSocket upgrade on {} but the container has no Jakarta WebSocket support; answering 400",
                    transport.path());
            sendError(
                    res,
                    engine.refuse(
                            new HttpRequestView("GET", hr),
                            EngineError.TRANSPORT_UNKNOWN,
                            Map.of("transport", "websocket")),
                    Map.of());
            return;
        }
        extra.toMap().forEach((name, values) -> values.forEach(v -> res.addHeader(name, v)));
        // A probe runs on its session's home loop: its 2probe and 5 are then handled in order with
        // the session's polls, with one hop from the container thread each, as a poll has.
        EngineEndpoint endpoint = new EngineEndpoint(engine, hr, loopFor(hr));
        try {
            sc.upgradeHttpToWebSocket(
                    req,
                    res,
                    EndpointConfigs.forEndpoint(
                            transport.path(), endpoint, engine.options().perMessageDeflate()),
                    Map.of());
        } catch (DeploymentException e) {
            log.debug("WebSocket upgrade failed on {}", hr.url(), e);
            if (!res.isCommitted()) {
                res.sendError(HttpServletResponse.SC_BAD_REQUEST);
            }
        }
    }

    /** The home loop of the request's session, or the next loop for a handshake (or an unknown sid). */
    private SessionExecutor loopFor(HandshakeRequest hr) {
        String sid = hr.query().get("sid");
        return (sid == null ? Optional.<SessionExecutor>empty() : engine.executorOf(sid))
                .orElseGet(transport.loops()::next);
    }

    private static void sendError(HttpServletResponse res, ConnectionError error, Map<String, List<String>> extra)
            throws IOException {
        byte[] body = error.json().getBytes(StandardCharsets.UTF_8);
        res.setStatus(error.httpStatus());
        res.setContentType("application/json");
        res.setContentLength(body.length);
        extra.forEach((name, values) -> values.forEach(v -> res.addHeader(name, v)));
        res.getOutputStream().write(body);
    }
}
