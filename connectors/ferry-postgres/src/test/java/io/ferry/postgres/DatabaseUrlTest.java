package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.spi.error.FerryException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void parsesALibpqStyleUrlWithEscapedCredentialsAndParameters() {
        DatabaseUrl url = DatabaseUrl.parse(
                "postgresql://arch%40iver:s3cr%2Ft@db.internal:6432/app%20db?sslmode=require&application_name=nightly",
                Optional.empty(), Map.of());
        assertEquals("jdbc:postgresql://db.internal:6432/app%20db", url.jdbcUrl());
        Properties properties = url.properties();
        assertEquals("arch@iver", properties.getProperty("user"));
        assertEquals("s3cr/t", properties.getProperty("password"));
        assertEquals("require", properties.getProperty("sslmode"));
        assertEquals("nightly", properties.getProperty("ApplicationName"));
        assertEquals("0", properties.getProperty("socketTimeout"));
        assertEquals(
                "postgresql://arch@iver:***@db.internal:6432/app db?sslmode=require&ApplicationName=nightly",
                url.masked());
        assertFalse(url.toString().contains("s3cr"));
    }

    @Test
    void parsesAJdbcUrlAndMasksItsPasswordParameter() {
        DatabaseUrl url = DatabaseUrl.parse(
                "jdbc:postgresql://127.0.0.1/test?user=postgres&password=hunter2&sslmode=disable",
                Optional.empty(),
                Map.of());
        assertEquals("jdbc:postgresql://127.0.0.1/test", url.jdbcUrl());
        assertEquals("hunter2", url.properties().getProperty("password"));
        assertEquals("postgresql://postgres:***@127.0.0.1/test?sslmode=disable", url.masked());
        assertEquals("auth failed for *** at ***", url.scrub("auth failed for hunter2 at hunter2"));
    }

    @Test
    void takesThePasswordFromAPasswordFileFirstThenTheUrlThenPgpassword() {
        String bare = "postgresql://u@h/d";
        assertEquals(
                "env",
                DatabaseUrl.parse(bare, Optional.empty(), Map.of("PGPASSWORD", "env"))
                        .properties()
                        .getProperty("password"));
        assertEquals(
                "url",
                DatabaseUrl.parse("postgresql://u:url@h/d", Optional.empty(), Map.of("PGPASSWORD", "env"))
                        .properties()
                        .getProperty("password"));
        assertEquals(
                "file",
                DatabaseUrl.parse("postgresql://u:url@h/d", Optional.of("file"), Map.of("PGPASSWORD", "env"))
                        .properties()
                        .getProperty("password"));
    }

    @Test
    void rejectsAnUnknownSchemeOrBadHostWithoutShowingThePassword() {
        FerryException scheme = assertThrows(
                FerryException.class,
                () -> DatabaseUrl.parse("mysql://root:topsecret@h/d", Optional.empty(), Map.of()));
        assertEquals(PostgresErrorCode.BAD_DATABASE_URL, scheme.code());
        assertFalse(scheme.getMessage().contains("topsecret"), scheme.getMessage());
        assertTrue(scheme.getMessage().contains("postgresql://"), scheme.getMessage());
        FerryException host = assertThrows(
                FerryException.class,
                () -> DatabaseUrl.parse("postgresql://u:topsecret@bad host/d", Optional.empty(), Map.of()));
        assertFalse(host.getMessage().contains("topsecret"), host.getMessage());
        FerryException jdbc = assertThrows(
                FerryException.class,
                () -> DatabaseUrl.parse(
                        "jdbc:postgresql://h/d?user=u&password=topsecret&x", Optional.empty(), Map.of()));
        assertFalse(jdbc.getMessage().contains("topsecret"), jdbc.getMessage());
    }
}
