package dev.herald.apicheck;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public surface of a module as text: every type of its exported packages that code outside
 * the module can name, with the members it can call or override. A module's test compares it with
 * the committed {@code api/<module>.api}, so a change to the surface fails the build until the file
 * is updated, and shows up in review as a diff of that file.
 *
 * <p>Qualified exports ({@code exports p to m}) are not API and are left out.
 */
public final class ApiSignature {

    /** Set to {@code true} to rewrite the committed file instead of comparing with it. */
    public static final String UPDATE_PROPERTY = "herald.api.update";

    private ApiSignature() {}

    /**
     * Compares the surface of the compiled module in {@code classes} with {@code apiFile}, or
     * rewrites the file when the {@link #UPDATE_PROPERTY} system property is true.
     *
     * @throws AssertionError naming the first differing lines and the command that updates the file
     */
    public static void verify(Path classes, Path apiFile) throws IOException {
        String actual = render(classes);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(apiFile.toAbsolutePath().getParent());
            Files.writeString(apiFile, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(apiFile) ? Files.readString(apiFile, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            throw new AssertionError("The public API differs from " + apiFile + ":\n" + diff(expected, actual)
                    + "\nIf the change is intended, run ./herald api and commit the file.");
        }
    }

    /** The surface of the compiled module in {@code classes} (a directory with module-info.class). */
    public static String render(Path classes) throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        List<String> packages = descriptor.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .sorted()
                .toList();
        StringBuilder out = new StringBuilder("module " + descriptor.name() + "\n");
        for (String pkg : packages) {
            out.append("\npackage ").append(pkg).append('\n');
            for (Class<?> type : topLevelTypes(classes, pkg)) {
                renderType(type, out);
            }
        }
        return out.toString();
    }

    private static List<Class<?>> topLevelTypes(Path classes, String pkg) throws IOException {
        Path dir = classes.resolve(pkg.replace('.', '/'));
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()))
                    .sorted()
                    .toList();
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            try {
                Class<?> type = Class.forName(name, false, ApiSignature.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            } catch (ClassNotFoundException e) {
                throw new IOException("cannot load " + name + ": is " + classes + " on the class path?", e);
            }
        }
        return types;
    }

    private static void renderType(Class<?> type, StringBuilder out) {
        out.append("\n").append(header(type)).append('\n');
        boolean extensible =
                !Modifier.isFinal(type.getModifiers()) && !type.isSealed() && !type.isEnum() && !type.isRecord();
        String owner = type.getName() + ".";
        List<String> members = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (visible(f, extensible) && !f.isSynthetic() && !f.isEnumConstant()) {
                members.add(f.toGenericString().replace(owner, ""));
            } else if (f.isEnumConstant()) {
                members.add("enum constant " + f.getName());
            }
        }
        boolean constructible = !type.isInterface() && !type.isEnum();
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (constructible && visible(c, extensible) && !c.isSynthetic()) {
                members.add(c.toGenericString());
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m, extensible) && !m.isSynthetic() && !m.isBridge()) {
                members.add(m.toGenericString().replace(owner, ""));
            }
        }
        members.stream().sorted().forEach(m -> out.append("  ").append(m).append('\n'));
        Stream.of(type.getDeclaredClasses())
                .filter(c -> visible(c.getModifiers(), extensible))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(c -> renderType(c, out));
    }

    private static String header(Class<?> type) {
        StringBuilder h = new StringBuilder(Modifier.toString(type.getModifiers()
                & ~Modifier.INTERFACE
                & ~(type.isInterface() ? Modifier.ABSTRACT : 0)
                & ~(type.isEnum() || type.isRecord() ? Modifier.FINAL : 0)));
        if (type.isSealed()) {
            h.append(" sealed");
        }
        String kind = type.isAnnotation()
                ? "@interface"
                : type.isInterface() ? "interface" : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
        h.append(' ').append(kind).append(' ').append(type.getName());
        if (type.getTypeParameters().length > 0) {
            h.append(Stream.of(type.getTypeParameters())
                    .map(t -> t.getTypeName())
                    .reduce((a, b) -> a + "," + b)
                    .map(s -> "<" + s + ">")
                    .orElse(""));
        }
        if (type.getGenericSuperclass() != null
                && type.getSuperclass() != Object.class
                && !type.isEnum()
                && !type.isRecord()) {
            h.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        List<String> interfaces = Stream.of(type.getGenericInterfaces())
                .map(t -> t.getTypeName())
                .filter(n -> !n.equals("java.lang.annotation.Annotation"))
                .toList();
        if (!interfaces.isEmpty()) {
            h.append(type.isInterface() ? " extends " : " implements ").append(String.join(", ", interfaces));
        }
        if (type.isSealed()) {
            h.append(" permits ")
                    .append(String.join(
                            ", ",
                            Stream.of(type.getPermittedSubclasses())
                                    .map(Class::getName)
                                    .sorted()
                                    .toList()));
        }
        return h.toString().strip();
    }

    private static boolean visible(Member m, boolean extensible) {
        return visible(m.getModifiers(), extensible);
    }

    private static boolean visible(int modifiers, boolean extensible) {
        return Modifier.isPublic(modifiers) || (extensible && Modifier.isProtected(modifiers));
    }

    private static String diff(String expected, String actual) {
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (String line : want) {
            if (!got.contains(line) && shown++ < 20) {
                out.append("- ").append(line).append('\n');
            }
        }
        for (String line : got) {
            if (!want.contains(line) && shown++ < 40) {
                out.append("+ ").append(line).append('\n');
            }
        }
        return out.length() == 0 ? "(same lines, different order)\n" : out.toString();
    }
}
