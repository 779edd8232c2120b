package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void secretNamedFieldsUrlPasswordsAndAssignedSecretsAreMasked() throws Exception {
        JsonNode masked = Secrets.mask(JSON.readTree("""
                {"kind": "export", "from": "kafka://broker:9092/orders",
                 "options": {"s3-secret-key": "AKIAXYZ", "client_password": "hunter2",
                   "kafka-property": ["sasl.jaas.config=org.Plain required username=u password=p4ss;", "acks=all"],
                   "database": "postgresql://archiver:topsecret@db:5432/app", "compression": "zstd"}}"""));
        JsonNode options = masked.get("options");
        assertEquals("****", options.get("s3-secret-key").asText());
        assertEquals("****", options.get("client_password").asText());
        assertEquals(
                "postgresql://archiver:****@db:5432/app",
                options.get("database").asText());
        assertEquals(
                "sasl.jaas.config=****", options.get("kafka-property").get(0).asText());
        assertEquals("acks=all", options.get("kafka-property").get(1).asText());
        assertEquals("zstd", options.get("compression").asText());
        assertEquals("kafka://broker:9092/orders", masked.get("from").asText());
    }

    @Test
    void everyParamsValueIsMaskedWhateverItsName() throws Exception {
        JsonNode masked = Secrets.mask(JSON.readTree("""
                {"kind": "edfi-send", "options": {"config": "/data/lightbeam.yaml",
                 "params": {"CS": "s3cr3t", "YEAR": 2025}}}"""));
        JsonNode options = masked.get("options");
        assertEquals("****", options.get("params").get("CS").asText());
        assertEquals("****", options.get("params").get("YEAR").asText());
        assertEquals("/data/lightbeam.yaml", options.get("config").asText());
    }

    @Test
    void errorMessagesLoseUrlPasswords() {
        assertEquals(
                "cannot reach postgresql://u:****@db/app: refused",
                Secrets.mask("cannot reach postgresql://u:pw@db/app: refused"));
    }
}
