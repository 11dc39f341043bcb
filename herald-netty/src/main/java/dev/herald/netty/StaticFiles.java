package dev.herald.netty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Pages given inline (exact paths), then static files from a directory and/or a classpath prefix. Paths that try to leave the root
 * ({@code ..}, backslashes, NUL) are refused. Reads block, so callers run them off the event loop.
 */
final class StaticFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"),
            Map.entry("htm", "text/html; charset=UTF-8"),
            Map.entry("js", "text/javascript; charset=UTF-8"),
            Map.entry("mjs", "text/javascript; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("png", "image/png"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"),
            Map.entry("txt", "text/plain; charset=UTF-8"));

    /**
     * A file found: its bytes and content type. Or, when {@code folder} is set, a folder asked for
     * without its trailing slash: the caller redirects to the slash form, so the folder's
     * {@code index.html} and its relative links work.
     */
    record Found(byte[] bytes, String contentType, boolean folder) {
        Found(byte[] bytes, String contentType) {
            this(bytes, contentType, false);
        }
    }

    private static final Found FOLDER = new Found(new byte[0], "text/plain; charset=UTF-8", true);

    private final Optional<Path> directory;
    private final Optional<String> classpathPrefix;
    private final ClassLoader loader;
    // Inline pages by exact path: their bodies (computed on each lookup) and content types.
    private final Map<String, Supplier<byte[]>> pages;
    private final Map<String, String> pageTypes;

    // Classpath folders at URL folders of their own: "/admin-ui/" -> "dev/herald/admin/ui/".
    private final Map<String, String> mounts;

    StaticFiles(
            Optional<Path> directory,
            Optional<String> classpathPrefix,
            ClassLoader loader,
            Map<String, Supplier<byte[]>> pages,
            Map<String, String> pageTypes,
            Map<String, String> mounts) {
        this.mounts = Map.copyOf(mounts);
        this.directory = directory.map(d -> d.toAbsolutePath().normalize());
        this.classpathPrefix = classpathPrefix.map(p -> p.endsWith("/") || p.isEmpty() ? p : p + "/");
        this.loader = loader;
        this.pages = Map.copyOf(pages);
        this.pageTypes = Map.copyOf(pageTypes);
    }

    boolean enabled() {
        return directory.isPresent() || classpathPrefix.isPresent() || !pages.isEmpty() || !mounts.isEmpty();
    }

    /** The file for a decoded URL path such as {@code /app/main.js}; {@code /} means index.html. */
    Optional<Found> find(String urlPath) {
        Supplier<byte[]> page = pages.get(urlPath);
        if (page != null) {
            return Optional.of(new Found(page.get(), pageTypes.getOrDefault(urlPath, TYPES.get("html"))));
        }
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            String folder = mount.getKey();
            if (urlPath.equals(folder.substring(0, folder.length() - 1))) {
                return Optional.of(FOLDER);
            }
            if (urlPath.startsWith(folder)) {
                String inside = relative(urlPath.substring(folder.length() - 1));
                return inside == null ? Optional.empty() : classpath(loader, mount.getValue() + inside);
            }
        }
        String rel = relative(urlPath);
        if (rel == null) {
            return Optional.empty();
        }
        if (!rel.endsWith("index.html") && exists(rel + "/index.html")) {
            // Without this, a classpath folder reads as an empty (jar) or listing (directory) "file".
            return Optional.of(FOLDER);
        }
        if (directory.isPresent()) {
            Path root = directory.get();
            Path file = root.resolve(rel).normalize();
            if (file.startsWith(root) && Files.isRegularFile(file)) {
                try {
                    return Optional.of(new Found(Files.readAllBytes(file), contentType(rel)));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        if (classpathPrefix.isPresent()) {
            return classpath(loader, classpathPrefix.get() + rel);
        }
        return Optional.empty();
    }

    private boolean exists(String rel) {
        if (directory.isPresent()) {
            Path file = directory.get().resolve(rel).normalize();
            if (file.startsWith(directory.get()) && Files.isRegularFile(file)) {
                return true;
            }
        }
        return classpathPrefix.isPresent() && loader.getResource(classpathPrefix.get() + rel) != null;
    }

    /** A classpath resource with the content type of its extension. */
    static Optional<Found> classpath(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Found(in.readAllBytes(), contentType(resource)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static String relative(String urlPath) {
        String p = urlPath.startsWith("/") ? urlPath.substring(1) : urlPath;
        if (p.isEmpty() || p.endsWith("/")) {
            p = p + "index.html";
        }
        if (p.contains("..") || p.contains("\\") || p.indexOf('\0') >= 0 || p.startsWith("/")) {
            return null;
        }
        return p;
    }
}
