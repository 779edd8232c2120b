package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.error.FerryException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where a database is and how to log in: parsed from {@code postgresql://user:pass@host:port/db?params}
 * (also {@code postgres://}) or {@code jdbc:postgresql://host:port/db?user=..&password=..}. The
 * password never appears in {@link #toString()}, {@link #masked()} or any message; {@link
 * #scrub(String)} removes it from text that came from elsewhere (a driver's exception).
 */
public final class DatabaseUrl {
    private static final String MASK = "***";
    /** libpq parameter names that pgjdbc spells differently. */
    private static final Map<String, String> LIBPQ_TO_JDBC = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "options", "options",
            "target_session_attrs", "targetServerType");

    private final String hosts;
    private final String database;
    private final @Nullable String user;
    private final @Nullable String password;
    private final Map<String, String> parameters;

    private DatabaseUrl(
            String hosts,
            String database,
            @Nullable String user,
            @Nullable String password,
            Map<String, String> parameters) {
        this.hosts = hosts;
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses {@code url}. The password is, in order: {@code passwordOverride} (read from a password
     * file), the URL's, then {@code PGPASSWORD} from {@code environment}.
     */
    public static DatabaseUrl parse(String url, Optional<String> passwordOverride, Map<String, String> environment) {
        requireNonNull(url, "url is null");
        String trimmed = url.strip();
        String rest;
        boolean jdbc;
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql://")) {
            rest = trimmed.substring("jdbc:postgresql://".length());
            jdbc = true;
        } else if (lower.startsWith("postgresql://")) {
            rest = trimmed.substring("postgresql://".length());
            jdbc = false;
        } else if (lower.startsWith("postgres://")) {
            rest = trimmed.substring("postgres://".length());
            jdbc = false;
        } else {
            throw bad(trimmed, "it must start with postgresql://, postgres:// or jdbc:postgresql://");
        }
        int query = rest.indexOf('?');
        String queryText = query < 0 ? "" : rest.substring(query + 1);
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash + 1);

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            if (jdbc) {
                throw bad(trimmed, "jdbc:postgresql:// URLs take the user and password as ?user=..&password=..");
            }
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(trimmed, colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(trimmed, userInfo.substring(colon + 1));
        }
        String hosts = authority.isEmpty() ? "localhost" : authority;
        for (String host : hosts.split(",", -1)) {
            if (!host.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?")) {
                throw bad(trimmed, "host '" + host + "' is not a host name or address with an optional :port");
            }
        }
        String database = decode(trimmed, path);
        if (database.contains("/")) {
            throw bad(trimmed, "the database name must not contain '/'");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!queryText.isEmpty()) {
            for (String pair : queryText.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw bad(trimmed, "parameter '" + maskedParameter(pair) + "' is not name=value");
                }
                String name = decode(trimmed, pair.substring(0, equals));
                String value = decode(trimmed, pair.substring(equals + 1));
                switch (name) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "dbname" -> database = value;
                    default -> parameters.put(LIBPQ_TO_JDBC.getOrDefault(name, name), value);
                }
            }
        }
        if (passwordOverride.isPresent()) {
            password = passwordOverride.get();
        } else if (password == null && environment.get("PGPASSWORD") != null) {
            password = environment.get("PGPASSWORD");
        }
        return new DatabaseUrl(hosts, database, user, password, parameters);
    }

    /** The JDBC URL without user or password; those travel in {@link #properties()}. */
    public String jdbcUrl() {
        StringBuilder url =
                new StringBuilder("jdbc:postgresql://").append(hosts).append('/');
        url.append(URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
        return url.toString();
    }

    /**
     * Connection properties: user, password and the URL's parameters; no client-side socket timeout
     * (a long COPY must not be cut off) and TCP keepalives on.
     */
    public Properties properties() {
        Properties properties = new Properties();
        properties.putAll(parameters);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("socketTimeout", "0");
        properties.putIfAbsent("tcpKeepAlive", "true");
        properties.putIfAbsent("connectTimeout", "10");
        properties.putIfAbsent("ApplicationName", "ferry db export");
        return properties;
    }

    public String database() {
        return database;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The URL for messages and manifests: {@code postgresql://user:***@host:port/db?params}. */
    public String masked() {
        StringBuilder url = new StringBuilder("postgresql://");
        if (user != null) {
            url.append(user);
            if (password != null) {
                url.append(':').append(MASK);
            }
            url.append('@');
        }
        url.append(hosts).append('/').append(database);
        if (!parameters.isEmpty()) {
            StringBuilder query = new StringBuilder();
            parameters.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&")
                    .append(name)
                    .append('=')
                    .append(name.toLowerCase(Locale.ROOT).contains("password") ? MASK : value));
            url.append(query);
        }
        return url.toString();
    }

    /** {@code text} with every occurrence of the password replaced by {@code ***}. */
    public String scrub(String text) {
        String secret = password;
        if (secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, MASK);
    }

    @Override
    public String toString() {
        return masked();
    }

    /** A URL as given, with anything that looks like a password replaced, for error messages. */
    static String maskUrl(String url) {
        String masked = url.replaceAll("(?i)(password=)[^&]*", "$1" + MASK);
        return masked.replaceAll("(://[^:/@?]*:)[^@/?]*@", "$1" + MASK + "@");
    }

    private static String maskedParameter(String pair) {
        return pair.toLowerCase(Locale.ROOT).startsWith("password") ? "password=" + MASK : pair;
    }

    private static String decode(String url, String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(url, "it has a malformed %-escape; write a literal % as %25");
        }
    }

    private static FerryException bad(String url, String reason) {
        return new FerryException(
                PostgresErrorCode.BAD_DATABASE_URL,
                "database URL '" + maskUrl(url) + "' is not valid: " + reason
                        + " (example: --database postgresql://archiver@db.internal:5432/app)");
    }
}
