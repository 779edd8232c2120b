package io.ferry.edfi.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.spi.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LightbeamStateTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws Exception {
        return Path.of(Objects.requireNonNull(LightbeamStateTest.class.getResource("/lightbeam-state/" + name))
                .toURI());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void readsLightbeamsPickledHashlog(int protocol) throws Exception {
        Map<PayloadHash, SentRecord> records = LightbeamState.read(resource("schools-protocol" + protocol + ".dat"));
        assertEquals(
                Map.of(
                        PayloadHash.of("{\"schoolId\": 1}"), new SentRecord(1718000000, 201),
                        PayloadHash.of("{\"schoolId\": 2}"), new SentRecord(1718000100, 409),
                        PayloadHash.of("{\"schoolId\": 3}"), new SentRecord(1718000200, 200)),
                records);
    }

    @Test
    void importsEveryResourceOnceKeepingWhatFerryAlreadyKnows() throws Exception {
        Path lightbeam = Files.createDirectories(dir.resolve("lightbeam"));
        Files.copy(resource("students.dat"), lightbeam.resolve("students.dat"));
        Files.copy(resource("schools-protocol4.dat"), lightbeam.resolve("schools.dat"));
        Path state = dir.resolve("ferry");
        try (PayloadState schools = PayloadState.open(state, "schools")) {
            schools.record(PayloadHash.of("{\"schoolId\": 1}"), new SentRecord(1800000000, 200));
        }
        assertEquals(Map.of("schools", 2, "students", 300), LightbeamState.importInto(lightbeam, state));
        PayloadState students = PayloadState.open(state, "students");
        assertEquals(300, students.size());
        assertEquals(
                Optional.of(new SentRecord(1718000042, 201)),
                students.find(PayloadHash.of("{\"studentUniqueId\": \"42\"}")));
        PayloadState schools = PayloadState.open(state, "schools");
        assertEquals(Optional.of(new SentRecord(1800000000, 200)), schools.find(PayloadHash.of("{\"schoolId\": 1}")));
        assertEquals(Map.of("schools", 0, "students", 0), LightbeamState.importInto(lightbeam, state));
    }

    @Test
    void aFileThatIsNotAPickledHashlogIsNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("schools.dat"), "not a pickle");
        FerryException error = assertThrows(FerryException.class, () -> LightbeamState.read(bad));
        assertEquals(true, error.getMessage().startsWith(bad + " is not a lightbeam state file"), error.getMessage());
    }
}
