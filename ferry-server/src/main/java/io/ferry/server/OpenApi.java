package io.ferry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** The OpenAPI 3 document of exactly the routes served, built from the route table itself. */
final class OpenApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApi() {}

    static ObjectNode document(List<Route> routes, List<JobKind> kinds) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "ferry serve");
        info.put("version", "1");
        StringBuilder description =
                new StringBuilder("Every transfer as a job: create, follow, pause, resume, cancel, retune. Job kinds:");
        kinds.forEach(kind -> description
                .append(' ')
                .append(kind.name())
                .append(" (")
                .append(kind.summary())
                .append(')'));
        info.put("description", description.toString());
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = doc.putObject("paths");
        for (Route route : routes) {
            ObjectNode path = paths.has(route.template())
                    ? (ObjectNode) paths.get(route.template())
                    : paths.putObject(route.template());
            ObjectNode operation = path.putObject(route.method().toLowerCase(Locale.ROOT));
            operation.put("summary", route.summary());
            operation.put("operationId", operationId(route));
            if (!route.secured()) {
                operation.putArray("security");
            }
            ArrayNode parameters = operation.putArray("parameters");
            for (String name : route.parameters()) {
                ObjectNode parameter = parameters.addObject();
                parameter.put("name", name);
                parameter.put("in", "path");
                parameter.put("required", true);
                parameter.putObject("schema").put("type", "string");
            }
            if (route.template().equals("/jobs") && route.method().equals("GET")) {
                ObjectNode parameter = parameters.addObject();
                parameter.put("name", "state");
                parameter.put("in", "query");
                parameter.put("required", false);
                ArrayNode states =
                        parameter.putObject("schema").put("type", "string").putArray("enum");
                for (ServedState state : ServedState.values()) {
                    states.add(state.label());
                }
            }
            if (parameters.isEmpty()) {
                operation.remove("parameters");
            }
            if (route.hasBody()) {
                ObjectNode body = operation.putObject("requestBody");
                body.put(
                        "required",
                        route.template().equals("/jobs") || route.method().equals("PATCH"));
                body.putObject("content")
                        .putObject("application/json")
                        .putObject("schema")
                        .put("$ref", "#/components/schemas/" + requestSchema(route));
            }
            ObjectNode responses = operation.putObject("responses");
            ObjectNode ok = responses.putObject(
                    route.template().equals("/jobs") && route.method().equals("POST") ? "201" : "200");
            ok.put("description", "Success");
            content(ok, route.responseType());
            if (route.secured()) {
                error(responses, "401", "No token, or a wrong one");
            }
            if (route.hasBody()) {
                error(responses, "400", "The request is invalid; every bad field is listed");
                error(responses, "413", "The body is too large");
            }
            if (!route.parameters().isEmpty()) {
                error(responses, "404", "No such job or task");
            }
            if (route.method().equals("POST") && !route.template().equals("/jobs")) {
                error(responses, "409", "The job or task is not in a state that allows this");
            }
        }
        ObjectNode components = doc.putObject("components");
        components
                .putObject("securitySchemes")
                .putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer");
        schemas(components.putObject("schemas"), kinds);
        return doc;
    }

    private static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().toLowerCase(Locale.ROOT));
        for (String segment : route.template().split("[/.{}_-]+", -1)) {
            if (!segment.isEmpty()) {
                id.append(Character.toUpperCase(segment.charAt(0))).append(segment.substring(1));
            }
        }
        return id.length() == route.method().length() ? id + "Root" : id.toString();
    }

    private static String requestSchema(Route route) {
        if (route.method().equals("PATCH")) {
            return "Retune";
        }
        return route.template().startsWith("/exports") ? "ExportOptions" : "JobRequest";
    }

    private static void content(ObjectNode response, String type) {
        ObjectNode content = response.putObject("content");
        switch (type) {
            case "html" -> content.putObject("text/html").putObject("schema").put("type", "string");
            case "text" -> content.putObject("text/plain").putObject("schema").put("type", "string");
            case "events" ->
                content.putObject("text/event-stream").putObject("schema").put("type", "string");
            case "job" -> ref(content, "Job");
            case "jobs" ->
                content.putObject("application/json")
                        .putObject("schema")
                        .put("type", "array")
                        .putObject("items")
                        .put("$ref", "#/components/schemas/Job");
            case "task" -> ref(content, "Task");
            case "tasks" ->
                content.putObject("application/json")
                        .putObject("schema")
                        .put("type", "array")
                        .putObject("items")
                        .put("$ref", "#/components/schemas/Task");
            case "started" -> ref(content, "Started");
            default -> content.putObject("application/json").putObject("schema").put("type", "object");
        }
    }

    private static void ref(ObjectNode content, String schema) {
        content.putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + schema);
    }

    private static void error(ObjectNode responses, String status, String description) {
        ObjectNode response = responses.putObject(status);
        response.put("description", description);
        ref(response.putObject("content"), "Error");
    }

    private static void schemas(ObjectNode schemas, List<JobKind> kinds) {
        ObjectNode limits = object(schemas, "Limits");
        limits.withObjectProperty("properties")
                .putObject(Limits.RECORDS)
                .put("type", "integer")
                .put("minimum", 0);
        limits.withObjectProperty("properties")
                .putObject(Limits.BYTES)
                .put("type", "integer")
                .put("minimum", 0);
        limits.withObjectProperty("properties")
                .putObject(Limits.OBJECT_SIZE)
                .put("type", "integer")
                .put("minimum", 0)
                .put("description", "Archive objects roll over at this many bytes; 0 for the job's own object-size");
        limits.withObjectProperty("properties")
                .putObject(Limits.CONCURRENCY)
                .put("type", "integer")
                .put("minimum", 0)
                .put("maximum", Limits.MAX_CONCURRENCY)
                .put("description", "How many splits run at once; 0 for the job's own parallelism");

        ObjectNode request = object(schemas, "JobRequest");
        request.putArray("required").add("kind");
        ObjectNode properties = request.withObjectProperty("properties");
        ArrayNode names = properties.putObject("kind").put("type", "string").putArray("enum");
        kinds.forEach(kind -> names.add(kind.name()));
        properties.putObject("from").put("type", "string");
        ArrayNode to = properties.putObject("to").putArray("oneOf");
        to.addObject().put("type", "string");
        to.addObject().put("type", "array").putObject("items").put("type", "string");
        properties.putObject("options").put("type", "object").put("additionalProperties", true);
        properties.putObject("limits").put("$ref", "#/components/schemas/Limits");

        ObjectNode retune = object(schemas, "Retune");
        retune.withObjectProperty("properties").putObject("limits").put("$ref", "#/components/schemas/Limits");

        object(schemas, "ExportOptions").put("additionalProperties", true);

        ObjectNode job = object(schemas, "Job");
        ObjectNode jobProperties = job.withObjectProperty("properties");
        jobProperties.putObject("id").put("type", "string");
        jobProperties.putObject("kind").put("type", "string");
        ArrayNode states =
                jobProperties.putObject("state").put("type", "string").putArray("enum");
        for (ServedState state : ServedState.values()) {
            states.add(state.label());
        }
        jobProperties.putObject("created_at").put("type", "string").put("format", "date-time");
        jobProperties.putObject("updated_at").put("type", "string").put("format", "date-time");
        jobProperties.putObject("request").put("$ref", "#/components/schemas/JobRequest");
        jobProperties.putObject("limits").put("$ref", "#/components/schemas/Limits");
        jobProperties.putObject("last_error").put("type", "string").put("nullable", true);
        ObjectNode progress =
                jobProperties.putObject("progress").put("type", "object").withObjectProperty("properties");
        for (String name : List.of(
                "records", "bytes", "done", "records_per_second", "bytes_per_second", "splits_done", "splits_total")) {
            progress.putObject(name).put("type", "integer");
        }
        progress.putObject("total").put("type", "integer").put("nullable", true);
        progress.putObject("percent").put("type", "number").put("nullable", true);
        progress.putObject("eta_seconds").put("type", "integer").put("nullable", true);
        progress.putObject("unit").put("type", "string");
        jobProperties
                .putObject("splits")
                .put("type", "array")
                .putObject("items")
                .put("type", "object");

        ObjectNode task = object(schemas, "Task");
        task.putArray("required").add("name").add("select_query").add("delete_query");
        task.withObjectProperty("properties").putObject("name").put("type", "string");
        task.withObjectProperty("properties").putObject("select_query").put("type", "string");
        task.withObjectProperty("properties")
                .putObject("delete_query")
                .put("type", "string")
                .put("nullable", true);

        ObjectNode started = object(schemas, "Started");
        started.putArray("required").add("status").add("job");
        started.withObjectProperty("properties")
                .putObject("status")
                .put("type", "string")
                .putArray("enum")
                .add("Ok");
        started.withObjectProperty("properties").putObject("job").put("type", "string");

        ObjectNode error = object(schemas, "Error");
        error.putArray("required").add("error");
        error.withObjectProperty("properties").putObject("error").put("type", "string");
        error.withObjectProperty("properties").putObject("code").put("type", "string");
        ObjectNode field = error.withObjectProperty("properties")
                .putObject("errors")
                .put("type", "array")
                .putObject("items")
                .put("type", "object");
        field.withObjectProperty("properties").putObject("field").put("type", "string");
        field.withObjectProperty("properties").putObject("message").put("type", "string");
    }

    private static ObjectNode object(ObjectNode schemas, String name) {
        ObjectNode schema = schemas.putObject(name);
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }
}
