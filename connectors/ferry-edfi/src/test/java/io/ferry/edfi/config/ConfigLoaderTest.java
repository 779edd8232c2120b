package io.ferry.edfi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.spi.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private EdFiConfig load(String yaml, Map<String, String> params, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("lightbeam.yaml"), yaml);
        return ConfigLoader.load(file, params, env, dir);
    }

    private FerryException failure(String yaml) {
        return assertThrows(FerryException.class, () -> load(yaml, Map.of(), Map.of()));
    }

    @Test
    void appliesLightbeamsDefaults() throws Exception {
        EdFiConfig config = load("edfi_api:\n  base_url: https://api.example.org/api\n", Map.of(), Map.of());
        assertNull(config.stateDir());
        assertEquals(dir, config.dataDir());
        assertEquals("ed-fi", config.namespace());
        assertEquals(Map.of(), config.namespaceOverrides());
        assertEquals(ApiMode.YEAR_SPECIFIC, config.api().mode());
        assertEquals(
                LocalDate.now(java.time.ZoneId.systemDefault()).getYear(),
                config.api().year());
        assertEquals(3, config.api().version());
        assertEquals("", config.api().oauthUrl());
        assertEquals(8, config.connection().poolSize());
        assertEquals(Duration.ofSeconds(60), config.connection().timeout());
        assertEquals(10, config.connection().numRetries());
        assertEquals(1.5, config.connection().backoffFactor());
        assertEquals(Set.of(429, 500, 501, 503, 504), config.connection().retryStatuses());
        assertTrue(config.connection().verifySsl());
        assertEquals("\t", config.countSeparator());
        assertEquals(100, config.fetchPageSize());
        assertFalse(config.forceDelete());
        assertEquals("INFO", config.logLevel());
        assertFalse(config.showStacktrace());
        assertEquals(
                EnumSet.of(ValidationMethod.SCHEMA, ValidationMethod.DESCRIPTORS, ValidationMethod.UNIQUENESS),
                config.validationMethods());
    }

    @Test
    void readsLightbeamsExampleConfig() throws Exception {
        EdFiConfig config = load("""
                state_dir: ~/.lightbeam/
                data_dir: ./
                namespace: ed-fi
                namespace_overrides:
                  tpdm:
                    - candidates
                edfi_api:
                  base_url: https://localhost/api
                  version: 3
                  mode: sandbox
                  year: 2021
                  client_id: populated
                  client_secret: populatedSecret
                connection:
                  pool_size: 8
                  timeout: 60
                  num_retries: 10
                  retry_statuses: [429, 500, 501, 503, 504]
                  backoff_factor: 1.5
                  verify_ssl: False
                fetch:
                  page_size: 500
                log_level: INFO
                force_delete: True
                show_stacktrace: True
                validate:
                  methods: "*"
                  references:
                    max_failures: 3
                """, Map.of(), Map.of());
        assertEquals(Path.of(System.getProperty("user.home"), ".lightbeam"), config.stateDir());
        assertEquals(Map.of("tpdm", List.of("candidates")), config.namespaceOverrides());
        assertEquals("tpdm", config.namespaceOf("candidates"));
        assertEquals("ed-fi", config.namespaceOf("schools"));
        assertEquals(ApiMode.SANDBOX, config.api().mode());
        assertFalse(config.connection().verifySsl());
        assertEquals(500, config.fetchPageSize());
        assertTrue(config.forceDelete());
        assertEquals(EnumSet.allOf(ValidationMethod.class), config.validationMethods());
        assertEquals(3, config.referenceMaxFailures());
        assertEquals("****", config.api().clientSecret().toString());
    }

    @Test
    void substitutesEnvironmentVariablesAndParamsWinOverThem() throws Exception {
        String yaml = """
                data_dir: ${BASE}/data
                edfi_api:
                  base_url: $URL
                  client_secret: ${SECRET}
                connection:
                  pool_size: ${POOL}
                """;
        Map<String, String> env = Map.of("BASE", "/env", "URL", "http://env", "SECRET", "from-env", "POOL", "4");
        EdFiConfig fromEnv = load(yaml, Map.of(), env);
        assertEquals(Path.of("/env/data"), fromEnv.dataDir());
        assertEquals("http://env", fromEnv.api().baseUrl());
        assertEquals("from-env", fromEnv.api().clientSecret().reveal());
        assertEquals(4, fromEnv.connection().poolSize());
        EdFiConfig fromParams = load(yaml, Map.of("SECRET", "from-params", "POOL", "16"), env);
        assertEquals("from-params", fromParams.api().clientSecret().reveal());
        assertEquals(16, fromParams.connection().poolSize());
    }

    @Test
    void reportsEveryProblemAtOnceWithItsKeyPathAndNeverTheSecret() {
        FerryException error = failure("""
                data_dir: ./data
                namspace: ed-fi
                edfi_api:
                  base_url: ftp://example.org
                  mode: yearly
                  client_secret: hunter2-${MISSING_VAR}
                connection:
                  pool_size: 0
                  timeout: soon
                  verify_ssl: maybe
                validate:
                  methods: [schema, refrences]
                """);
        assertEquals(EdFiErrorCode.BAD_CONFIG, error.code());
        String message = error.getMessage();
        for (String expected : List.of(
                "unknown key namspace (did you mean 'namespace'?)",
                "edfi_api.base_url must be an http:// or https:// URL, got 'ftp://example.org'",
                "edfi_api.mode must be one of",
                "edfi_api.client_secret references ${MISSING_VAR}",
                "connection.pool_size must be between 1 and 1024, got 0",
                "connection.timeout must be a number, got 'soon'",
                "connection.verify_ssl must be true or false, got 'maybe'",
                "validate.methods: unknown method 'refrences' (did you mean 'references'?)",
                "8 problems")) {
            assertTrue(message.contains(expected), expected + " not in:\n" + message);
        }
        assertFalse(message.contains("hunter2"), message);
    }

    @Test
    void aMissingBaseUrlAndBrokenYamlAreNamed() {
        assertTrue(failure("data_dir: ./\n").getMessage().contains("edfi_api.base_url is missing"));
        FerryException broken = failure("edfi_api:\n  base_url: [unclosed\n");
        assertTrue(broken.getMessage().contains("is not valid YAML"), broken.getMessage());
        assertTrue(failure("- a\n- b\n").getMessage().contains("must be a YAML mapping"));
    }
}
