package io.ferry.edfi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.spi.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTest {
    private static final List<ApiResource> ORDERED = List.of(
            new ApiResource("ed-fi", "gradeLevelDescriptors"),
            new ApiResource("ed-fi", "schools"),
            new ApiResource("ed-fi", "students"),
            new ApiResource("ed-fi", "studentSchoolAssociations"),
            new ApiResource("ed-fi", "studentSectionAssociations"));

    @TempDir
    Path dir;

    private static List<String> names(List<ApiResource> resources) {
        return resources.stream().map(ApiResource::name).toList();
    }

    @Test
    void selectsWithWildcardsAtEitherEndAndKeepsDependencyOrder() {
        assertEquals(names(ORDERED), names(Selection.apply(ORDERED, "*", "")));
        assertEquals(
                List.of("schools", "studentSchoolAssociations", "studentSectionAssociations"),
                names(Selection.apply(ORDERED, "*Associations,Schools", "")));
        assertEquals(List.of("students"), names(Selection.apply(ORDERED, "student*", "*Associations")));
        assertEquals(names(ORDERED.subList(1, 5)), names(Selection.apply(ORDERED, "*", "*Descriptors")));
    }

    @Test
    void anUnknownNameOrAnEmptySelectionIsAnError() {
        FerryException unknown = assertThrows(FerryException.class, () -> Selection.apply(ORDERED, "schoolz", ""));
        assertEquals(EdFiErrorCode.BAD_ARGUMENT, unknown.code());
        assertTrue(unknown.getMessage().contains("schoolz"), unknown.getMessage());
        assertThrows(FerryException.class, () -> Selection.apply(ORDERED, "schools", "schools"));
    }

    @Test
    void findsFilesAndFoldersCaseInsensitivelyAndRejectsUnknownNames() throws Exception {
        Files.writeString(dir.resolve("Schools.jsonl"), "{}\n");
        Files.createDirectories(dir.resolve("students"));
        Files.writeString(dir.resolve("students/b.ndjson"), "{}\n");
        Files.writeString(dir.resolve("students/a.json"), "{}\n");
        Files.writeString(dir.resolve("students/notes.txt"), "ignored\n");
        Files.writeString(dir.resolve("lightbeam.yaml"), "ignored: true\n");
        DataDirectory data = DataDirectory.scan(dir, ORDERED);
        List<ResourceFiles> found = data.withData(ORDERED);
        assertEquals(
                List.of("schools", "students"),
                found.stream().map(f -> f.resource().name()).toList());
        assertEquals(
                List.of(dir.resolve("students/a.json"), dir.resolve("students/b.ndjson")),
                found.get(1).files());

        Files.writeString(dir.resolve("studnets.jsonl"), "{}\n");
        FerryException unknown = assertThrows(FerryException.class, () -> DataDirectory.scan(dir, ORDERED));
        assertEquals(EdFiErrorCode.BAD_DATA, unknown.code());
        assertTrue(unknown.getMessage().contains("studnets.jsonl (did you mean students?)"), unknown.getMessage());
    }
}
