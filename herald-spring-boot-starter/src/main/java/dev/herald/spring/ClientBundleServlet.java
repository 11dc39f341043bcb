package dev.herald.spring;

import dev.herald.netty.ClientBundles;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The official client bundles under the Engine.IO path on the application's port
 * ({@code /socket.io/socket.io.min.js} and the other files Node's {@code serveClient} serves), from
 * the copies herald-netty carries ({@link ClientBundles}). Mapped to each exact path, which a servlet container prefers to
 * the transport's {@code /socket.io/*}, so the transport itself stays free of files.
 */
final class ClientBundleServlet extends HttpServlet {

    private record Bundle(byte[] bytes, String etag) {}

    private final String path;
    // Filled by container threads on first request of each file; the bundles never change at run time.
    private final Map<String, Optional<Bundle>> bundles = new ConcurrentHashMap<>();

    private ClientBundleServlet(String path) {
        this.path = path;
    }

    /** Maps the servlet to every bundle's path below {@code path} (which ends with a slash). */
    static void install(ServletContext context, String path) {
        ServletRegistration.Dynamic registration =
                context.addServlet("heraldClientBundle", new ClientBundleServlet(path));
        registration.addMapping(ClientBundles.FILES.stream().map(f -> path + f).toArray(String[]::new));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getServletPath().substring(path.length());
        Optional<Bundle> bundle =
                ClientBundles.FILES.contains(name) ? bundles.computeIfAbsent(name, this::load) : Optional.empty();
        if (bundle.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Bundle b = bundle.get();
        // As Node: revalidate every time, answer 304 while the bundle is the same. Spring's check
        // sets the ETag and reads If-None-Match as HTTP says (lists, weak tags, *).
        response.setHeader("Cache-Control", "public, max-age=0");
        if (new ServletWebRequest(request, response).checkNotModified(b.etag())) {
            return;
        }
        response.setContentType(name.endsWith(".map") ? "application/json" : "application/javascript; charset=utf-8");
        response.setContentLength(b.bytes().length);
        response.getOutputStream().write(b.bytes());
    }

    private Optional<Bundle> load(String name) {
        try (InputStream in =
                ClientBundleServlet.class.getClassLoader().getResourceAsStream(ClientBundles.RESOURCE_DIR + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return Optional.of(new Bundle(bytes, "\"" + Long.toHexString(crc.getValue()) + "-" + bytes.length + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
