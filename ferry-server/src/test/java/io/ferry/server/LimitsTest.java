package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChangeKeepsWhatItDoesNotNameAndListsEveryBadField() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        Limits limits = new Limits(100, 2000).merge(JSON.readTree("{\"records_per_second\": 500}"), "limits", errors);
        assertEquals(new Limits(500, 2000), limits);
        assertEquals(List.of(), errors);

        new Limits(1, 1)
                .merge(
                        JSON.readTree("{\"records_per_second\": -5, \"bytes_per_second\": \"x\", \"threads\": 2}"),
                        "limits",
                        errors);
        assertEquals(
                List.of("limits.records_per_second", "limits.bytes_per_second", "limits.threads"),
                errors.stream().map(FieldError::field).toList());
    }

    @Test
    void objectSizeAndConcurrencyAreLiveLimitsThatSurviveTheirJsonForm() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        Limits limits = new Limits(100, 0)
                .merge(JSON.readTree("{\"object_size_bytes\": 65536, \"concurrency\": 3}"), "limits", errors);
        assertEquals(new Limits(100, 0, 65536, 3), limits);
        assertEquals(List.of(), errors);
        assertEquals(limits, Limits.fromJson(limits.toJson()));

        limits.merge(JSON.readTree("{\"object_size_bytes\": -1, \"concurrency\": 100000}"), "limits", errors);
        assertEquals(
                List.of("limits.object_size_bytes", "limits.concurrency"),
                errors.stream().map(FieldError::field).toList());
    }
}
