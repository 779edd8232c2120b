package io.ferry.edfi;

import io.ferry.edfi.config.ConfigLoader;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Generates valid Ed-Fi payload files (descriptors, agencies, schools, students, associations...) and configs. */
public final class EdFiTestData {
    /** The resources written, in dependency order, with their record counts. */
    public final Map<String, Integer> counts = new LinkedHashMap<>();

    private final Path dataDir;

    private EdFiTestData(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Writes about {@code students * 2 + 400} records across 12 resources into {@code dataDir}. */
    public static EdFiTestData write(Path dataDir, int students) {
        EdFiTestData data = new EdFiTestData(dataDir);
        data.generate(students);
        return data;
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void generate(int students) {
        String[] descriptors = {
            "gradeLevelDescriptors",
            "educationOrganizationCategoryDescriptors",
            "localEducationAgencyCategoryDescriptors",
            "sexDescriptors",
            "termDescriptors",
            "addressTypeDescriptors"
        };
        for (String descriptor : descriptors) {
            String type =
                    Character.toUpperCase(descriptor.charAt(0)) + descriptor.substring(1, descriptor.length() - 1);
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                lines.add("{\"codeValue\": \"Code " + i + "\", \"shortDescription\": \"Code " + i
                        + "\", \"description\": \"Code " + i + " of " + type + "\", \"namespace\": \"uri://ed-fi.org/"
                        + type + "\"}");
            }
            write(descriptor, lines);
        }
        List<String> agencies = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            agencies.add("{\"localEducationAgencyId\": " + (2550 + i) + ", \"nameOfInstitution\": \"District " + i
                    + "\", \"localEducationAgencyCategoryDescriptor\":"
                    + " \"uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Code 1\", \"categories\":"
                    + " [{\"educationOrganizationCategoryDescriptor\":"
                    + " \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Code 2\"}]}");
        }
        write("localEducationAgencies", agencies);
        List<String> schools = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            schools.add("{\"schoolId\": " + school(i) + ", \"nameOfInstitution\": \"School " + i
                    + "\", \"localEducationAgencyReference\": {\"localEducationAgencyId\": " + (2550 + 1 + i % 10)
                    + "}, \"gradeLevels\": [{\"gradeLevelDescriptor\": \"uri://ed-fi.org/GradeLevelDescriptor#Code "
                    + (1 + i % 8)
                    + "\"}], \"educationOrganizationCategories\": [{\"educationOrganizationCategoryDescriptor\":"
                    + " \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Code 3\"}]}");
        }
        write("schools", schools);
        List<String> periods = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            for (int p = 1; p <= 3; p++) {
                periods.add("{\"classPeriodName\": \"Period " + p + "\", \"schoolReference\": {\"schoolId\": "
                        + school(i) + "}}");
                locations.add(
                        "{\"classroomIdentificationCode\": \"Room " + p + "\", \"schoolReference\": {\"schoolId\": "
                                + school(i) + "}, \"maximumNumberOfSeats\": " + (20 + p) + "}");
            }
        }
        write("classPeriods", periods);
        write("locations", locations);
        List<String> studentLines = new ArrayList<>();
        List<String> associations = new ArrayList<>();
        for (int i = 1; i <= students; i++) {
            String id = String.format(Locale.ROOT, "S%06d", i);
            studentLines.add("{\"studentUniqueId\": \"" + id + "\", \"firstName\": \"First" + i
                    + "\", \"lastSurname\": \"Last" + i + "\", \"birthDate\": \"2010-0" + (1 + i % 9) + "-1" + (i % 10)
                    + "\"}");
            associations.add("{\"studentReference\": {\"studentUniqueId\": \"" + id + "\"}, \"schoolReference\":"
                    + " {\"schoolId\": " + school(1 + i % 40) + "}, \"entryDate\": \"2024-08-2" + (i % 10)
                    + "\", \"entryGradeLevelDescriptor\": \"uri://ed-fi.org/GradeLevelDescriptor#Code " + (1 + i % 8)
                    + "\"}");
        }
        write("students", studentLines);
        write("studentSchoolAssociations", associations);
    }

    private static long school(int i) {
        return 255901000L + i;
    }

    private void write(String resource, List<String> lines) {
        try {
            Files.createDirectories(dataDir);
            Files.write(dataDir.resolve(resource + ".jsonl"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        counts.put(resource, lines.size());
    }

    /** A lightbeam YAML file for {@code api} with state and data in {@code root}; extra lines appended as-is. */
    public static Path config(Path root, TestingEdFiApi api, String... extra) {
        String yaml = "state_dir: " + root.resolve("state") + "\n"
                + "data_dir: " + root.resolve("data") + "\n"
                + "namespace: ed-fi\n"
                + "edfi_api:\n"
                + "  base_url: ${BASE_URL}\n"
                + "  mode: shared_instance\n"
                + "  client_id: " + api.clientId() + "\n"
                + "  client_secret: ${CLIENT_SECRET}\n"
                + "connection:\n"
                + "  pool_size: 8\n"
                + "  timeout: 30\n"
                + "  num_retries: 10\n"
                + "  backoff_factor: 1.5\n"
                + String.join("\n", extra) + "\n";
        try {
            Files.createDirectories(root);
            Path file = root.resolve("lightbeam.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EdFiConfig load(Path configFile, TestingEdFiApi api) {
        return ConfigLoader.load(
                configFile,
                Map.of("BASE_URL", api.baseUrl().toString(), "CLIENT_SECRET", api.clientSecret()),
                Map.of());
    }
}
