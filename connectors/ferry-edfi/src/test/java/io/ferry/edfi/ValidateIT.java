package io.ferry.edfi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.edfi.api.Metadata;
import io.ferry.edfi.config.EdFiConfig;
import io.ferry.edfi.send.RunResults;
import io.ferry.edfi.validate.Validator;
import io.ferry.testing.edfi.TestingEdFiApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateIT {
    @TempDir
    Path root;

    private RunResults validate(EdFiConfig config) {
        try (EdFiSession session = EdFiSession.open(config)) {
            session.client().authenticate();
            RunResults results = new RunResults("validate", config, config.api().baseUrl());
            new Validator(session, new Metadata(session.client(), config.stateDir(), false))
                    .validate(session.data().withData(session.select("*", "")), results);
            return results;
        }
    }

    private static List<String> messages(RunResults results, String resource) {
        List<String> messages = new ArrayList<>();
        for (JsonNode failure :
                results.toJson().path("resources").path(resource).path("failures")) {
            messages.add(
                    failure.path("line_numbers") + " " + failure.path("message").asText());
        }
        return messages;
    }

    @Test
    void findsSchemaDescriptorUniquenessAndReferenceProblemsNamingLineAndProperty() throws Exception {
        TestingEdFiApi.Options options = TestingEdFiApi.Options.defaults().withDefaultDescriptors(true);
        try (TestingEdFiApi api = TestingEdFiApi.start(options)) {
            api.post(
                    "students",
                    "{\"studentUniqueId\": \"IN-API\", \"firstName\": \"A\", \"lastSurname\": \"B\","
                            + " \"birthDate\": \"2010-01-01\"}");
            Path data = Files.createDirectories(root.resolve("data"));
            Files.write(
                    data.resolve("students.jsonl"),
                    List.of(
                            "{\"studentUniqueId\": \"S1\", \"firstName\": \"A\", \"lastSurname\": \"B\", \"birthDate\": \"2010-01-01\"}",
                            "{\"studentUniqueId\": \"S2\", \"firstName\": 7, \"lastSurname\": \"B\", \"birthDate\": \"2010-01-01\"}",
                            "{\"studentUniqueId\": \"S1\", \"firstName\": \"C\", \"lastSurname\": \"D\", \"birthDate\": \"2011-01-01\"}",
                            "{\"studentUniqueId\": \"S3\", \"lastSurname\": \"B\", \"birthDate\": \"2010-01-01\"}",
                            "{\"studentUniqueId\": \"S4\", \"firstName\": \"A\", \"lastSurname\": \"B\", \"birthDate\": \"2010-01-01\","
                                    + " \"birthSexDescriptor\": \"uri://ed-fi.org/SexDescriptor#Martian\"}",
                            "{\"studentUniqueId\": \"S5\", \"firstName\": \"A\", \"lastSurname\": \"B\", \"birthDate\": \"2010-01-01\","
                                    + " \"birthSexDescriptor\": \"uri://ed-fi.org/SexDescriptor#Female\"}",
                            "{broken"));
            Files.write(
                    data.resolve("schools.jsonl"),
                    List.of(
                            "{\"schoolId\": 1, \"nameOfInstitution\": \"One\", \"gradeLevels\": [{\"gradeLevelDescriptor\":"
                                    + " \"uri://ed-fi.org/GradeLevelDescriptor#Ninth grade\"}], \"educationOrganizationCategories\":"
                                    + " [{\"educationOrganizationCategoryDescriptor\": \"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School\"}]}"));
            Files.write(
                    data.resolve("studentSchoolAssociations.jsonl"),
                    List.of(ssa("S1", 1), ssa("IN-API", 1), ssa("NOWHERE", 1), ssa("S1", 999)));
            Path file = EdFiTestData.config(root, api, "validate:", "  methods: '*'");
            RunResults results = validate(EdFiTestData.load(file, api));

            List<String> students = messages(results, "students");
            assertTrue(
                    students.contains("[2] schema: property 'firstName' must be a string, got 7"), students.toString());
            assertTrue(
                    students.stream()
                            .anyMatch(
                                    m -> m.startsWith("[3] uniqueness: the natural key (studentUniqueId=S1) is also at")
                                            && m.endsWith("students.jsonl line 1")),
                    students.toString());
            assertTrue(
                    students.contains("[4] schema: property 'firstName' is required but missing"), students.toString());
            assertTrue(
                    students.stream()
                            .anyMatch(m -> m.startsWith("[5] descriptors: property 'birthSexDescriptor' has"
                                    + " 'uri://ed-fi.org/SexDescriptor#Martian'")),
                    students.toString());
            assertTrue(students.stream().anyMatch(m -> m.startsWith("[7] json: not valid JSON")), students.toString());
            assertEquals(5, results.resource("students").failedCount(), students.toString());
            assertEquals(
                    0,
                    results.resource("schools").failedCount(),
                    messages(results, "schools").toString());
            List<String> associations = messages(results, "studentSchoolAssociations");
            assertEquals(2, associations.size(), associations.toString());
            assertTrue(
                    associations.stream()
                            .anyMatch(m -> m.startsWith("[3] references: property 'studentReference'"
                                    + " {studentUniqueId=NOWHERE} matches no students")),
                    associations.toString());
            assertTrue(
                    associations.stream()
                            .anyMatch(m ->
                                    m.startsWith("[4] references: property 'schoolReference'" + " {schoolId=999}")),
                    associations.toString());
            assertEquals(0, api.postCount("students"), "validate sends nothing");
            try (var cached = Files.list(root.resolve("state/cache"))) {
                List<String> names =
                        cached.map(p -> p.getFileName().toString()).sorted().toList();
                assertTrue(names.stream().anyMatch(n -> n.startsWith("swagger-resources-")), names.toString());
                assertTrue(
                        names.stream().anyMatch(n -> n.startsWith("descriptor-values-sexDescriptors-")),
                        names.toString());
            }
            long metadataRequests = api.requests().stream()
                    .filter(r -> r.path().contains("swagger.json"))
                    .count();
            validate(EdFiTestData.load(file, api));
            assertEquals(
                    metadataRequests,
                    api.requests().stream()
                            .filter(r -> r.path().contains("swagger.json"))
                            .count(),
                    "the cached OpenAPI document is used for a month");

            // max_failures: after one failed reference the others are not checked.
            Files.writeString(file, Files.readString(file) + "  references:\n    max_failures: 1\n");
            RunResults capped = validate(EdFiTestData.load(file, api));
            assertEquals(1, capped.resource("studentSchoolAssociations").failedCount());
        }
    }

    private static String ssa(String student, long school) {
        return "{\"studentReference\": {\"studentUniqueId\": \"" + student + "\"}, \"schoolReference\": {\"schoolId\": "
                + school + "}, \"entryDate\": \"2024-08-20\", \"entryGradeLevelDescriptor\":"
                + " \"uri://ed-fi.org/GradeLevelDescriptor#Ninth grade\"}";
    }
}
