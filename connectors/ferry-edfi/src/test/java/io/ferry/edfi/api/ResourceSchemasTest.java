package io.ferry.edfi.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.edfi.api.ResourceSchemas.IdentityField;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceSchemasTest {
    private static String schemas(String root) {
        return """
            "edFi_studentSchoolAssociation": {
              "required": ["entryDate", "schoolReference", "studentReference"],
              "properties": {
                "entryDate": {"type": "string", "format": "date", "x-Ed-Fi-isIdentity": true},
                "schoolReference": {"$ref": "#/%1$s/edFi_schoolReference"},
                "studentReference": {"$ref": "#/%1$s/edFi_studentReference"},
                "calendarReference": {"$ref": "#/%1$s/edFi_calendarReference"}
              }
            },
            "edFi_school": {"properties": {"schoolId": {"type": "integer", "x-Ed-Fi-isIdentity": true}}},
            "edFi_schoolReference": {
              "properties": {"schoolId": {"type": "integer", "x-Ed-Fi-isIdentity": true}, "link": {"type": "object"}}
            },
            "edFi_studentReference": {"properties": {"studentUniqueId": {"type": "string", "x-Ed-Fi-isIdentity": true}}},
            "edFi_calendarReference": {"properties": {"calendarCode": {"type": "string"}}}
            """.formatted(root);
    }

    private static String document(boolean swagger2) {
        String root = swagger2 ? "definitions" : "components/schemas";
        String schemas = schemas(root);
        if (swagger2) {
            return """
                    {"swagger": "2.0",
                     "paths": {
                       "/ed-fi/studentSchoolAssociations": {"post": {"parameters": [{"in": "body", "name": "b",
                           "schema": {"$ref": "#/definitions/edFi_studentSchoolAssociation"}}]}},
                       "/ed-fi/schools": {"post": {"parameters": [{"in": "body", "name": "b",
                           "schema": {"$ref": "#/definitions/edFi_school"}}]}},
                       "/ed-fi/schools/{id}": {"delete": {}}
                     },
                     "definitions": {%s}}
                    """.formatted(schemas);
        }
        return """
                {"openapi": "3.0.1",
                 "paths": {
                   "/ed-fi/studentSchoolAssociations": {"post": {"requestBody": {"content": {"application/json":
                       {"schema": {"$ref": "#/components/schemas/edFi_studentSchoolAssociation"}}}}}},
                   "/ed-fi/schools": {"post": {"requestBody": {"content": {"application/json":
                       {"schema": {"$ref": "#/components/schemas/edFi_school"}}}}}}
                 },
                 "components": {"schemas": {%s}}}
                """.formatted(schemas);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsSchemasIdentityAndReferencesFromSwagger2AndOpenApi3(boolean swagger2) throws Exception {
        ResourceSchemas schemas = ResourceSchemas.parse(new ObjectMapper().readTree(document(swagger2)));
        assertEquals(!swagger2, schemas.isOpenApi3());
        ApiResource associations = new ApiResource("ed-fi", "studentSchoolAssociations");
        assertTrue(
                schemas.schemaOf(associations).orElseThrow().path("properties").has("entryDate"));
        assertFalse(schemas.schemaOf(new ApiResource("ed-fi", "students")).isPresent());
        assertEquals(
                List.of(
                        new IdentityField("entryDate", List.of("entryDate")),
                        new IdentityField("schoolId", List.of("schoolReference", "schoolId")),
                        new IdentityField("studentUniqueId", List.of("studentReference", "studentUniqueId"))),
                schemas.identity(associations));
        assertEquals(
                "ed-fi/schools",
                schemas.resourceOfReference("edFi_schoolReference").orElseThrow());
        assertTrue(schemas.resourceOfReference("edFi_calendarReference").isEmpty());
    }
}
