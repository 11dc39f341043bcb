package dev.herald.admin;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How {@link AdminUi} instruments a server, as the options of Node's {@code instrument(io, opts)}:
 * the admin namespace, the authentication (basic with a bcrypt hash, or none when said so), read-only
 * or not, the mode, and this server's id. Immutable; {@link Builder#build()} checks them.
 */
public final class AdminUiOptions {

    /** Which events the dashboard gets, as Node's {@code mode}. */
    public enum Mode {
        /** Every socket, room and event as it happens, plus the aggregated counts. */
        DEVELOPMENT,
        /** The aggregated counts and the server stats only, for a busy server. */
        PRODUCTION
    }

    // $2a$, $2b$ or $2y$, two-digit cost, 53 characters of salt and hash: what bcryptjs' getRounds accepts.
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private final String namespace;
    private final Optional<String> username;
    private final Optional<String> passwordHash;
    private final boolean readonly;
    private final Mode mode;
    private final Optional<String> serverId;
    private final AdminSessionStore sessionStore;

    private AdminUiOptions(Builder b) {
        this.namespace = b.namespace;
        this.username = Optional.ofNullable(b.username);
        this.passwordHash = Optional.ofNullable(b.passwordHash);
        this.readonly = b.readonly;
        this.mode = b.mode;
        this.serverId = Optional.ofNullable(b.serverId);
        this.sessionStore = b.sessionStore == null ? AdminSessionStore.inMemory() : b.sessionStore;
    }

    /** A builder with Node's defaults: namespace {@code /admin}, not read-only, development mode. */
    public static Builder builder() {
        return new Builder();
    }

    /** The admin namespace; {@code /admin} by default. */
    public String namespace() {
        return namespace;
    }

    /** The user name of basic authentication; empty when authentication is off. */
    public Optional<String> username() {
        return username;
    }

    /** The bcrypt hash the password is checked against; empty when authentication is off. */
    public Optional<String> passwordHash() {
        return passwordHash;
    }

    /** Whether the dashboard may only look (no emit, join, leave or disconnect). */
    public boolean readonly() {
        return readonly;
    }

    /** What the dashboard gets. */
    public Mode mode() {
        return mode;
    }

    /** This server's id in the dashboard; {@code <host name>#<pid>} when empty. */
    public Optional<String> serverId() {
        return serverId;
    }

    /** Where session ids are kept; in memory by default. */
    public AdminSessionStore sessionStore() {
        return sessionStore;
    }

    /** Builds {@link AdminUiOptions}. */
    public static final class Builder {
        private String namespace = "/admin";
        private String username;
        private String passwordHash;
        private boolean authSet;
        private boolean readonly;
        private Mode mode = Mode.DEVELOPMENT;
        private String serverId;
        private AdminSessionStore sessionStore;

        private Builder() {}

        /** The admin namespace, {@code /admin} by default. */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            this.namespace = namespace.startsWith("/") ? namespace : "/" + namespace;
            return this;
        }

        /**
         * Basic authentication, as Node's {@code auth: {type: "basic", username, password}}: the
         * dashboard's password is checked against this bcrypt hash ({@code $2a$}, {@code $2b$} or
         * {@code $2y$}, as {@code bcryptjs} and {@link AdminUi#hashPassword} make).
         */
        public Builder basicAuth(String username, String bcryptHash) {
            this.username = Objects.requireNonNull(username, "username");
            this.passwordHash = Objects.requireNonNull(bcryptHash, "bcryptHash");
            this.authSet = true;
            return this;
        }

        /** No authentication at all, as Node's {@code auth: false}: anyone who reaches the namespace is admin. */
        public Builder noAuth() {
            this.username = null;
            this.passwordHash = null;
            this.authSet = true;
            return this;
        }

        /** Whether the dashboard may only look; false by default. */
        public Builder readonly(boolean readonly) {
            this.readonly = readonly;
            return this;
        }

        /** Development (every event) or production (aggregated counts); development by default. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * This server's id in the dashboard; {@code <host name>#<pid>} by default, as Node names a
         * cluster worker (Node's default for a lone server is the host name alone). Set it when
         * several nodes run in one process.
         */
        public Builder serverId(String serverId) {
            this.serverId = Objects.requireNonNull(serverId, "serverId");
            return this;
        }

        /**
         * Where the session ids handed to the dashboard are kept, as Node's {@code store}: in memory
         * by default; {@link RedisAdminSessionStore} for a cluster, so a dashboard logged in on one
         * node is known to the others.
         */
        public Builder sessionStore(AdminSessionStore store) {
            this.sessionStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalStateException when neither {@link #basicAuth} nor {@link #noAuth} was
         *     called, or the password is not a bcrypt hash, with Node's messages
         */
        public AdminUiOptions build() {
            if (!authSet) {
                throw new IllegalStateException("the `auth` option must be specified or explicitly set to `false`"
                        + " (basicAuth(username, bcryptHash) or noAuth())");
            }
            if (passwordHash != null && !BCRYPT.matcher(passwordHash).matches()) {
                throw new IllegalStateException("the `password` field must be a valid bcrypt hash");
            }
            if (namespace.length() < 2) {
                throw new IllegalStateException("namespace must not be the main namespace \"/\"");
            }
            return new AdminUiOptions(this);
        }
    }
}
