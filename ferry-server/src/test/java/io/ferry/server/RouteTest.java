package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static Route route(String template) {
        return new Route("GET", template, true, false, "test", "json", call -> Answer.WRITTEN);
    }

    @Test
    void templatesMatchWholeSegmentsAndNameTheirParameters() {
        assertEquals(Optional.of(Map.of("id", "export-1")), route("/jobs/{id}").match(List.of("jobs", "export-1")));
        assertEquals(Optional.empty(), route("/jobs/{id}").match(List.of("jobs", "export-1", "pause")));
        assertEquals(Optional.empty(), route("/jobs/{id}").match(List.of("jobs")));
        assertEquals(Optional.of(Map.of()), route("/").match(List.of()));
        assertEquals(Optional.empty(), route("/").match(List.of("jobs")));
        assertEquals(List.of("id"), route("/jobs/{id}/pause").parameters());
    }
}
