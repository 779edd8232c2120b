package io.ferry.testing.edfi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestingEdFiApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TestingEdFiApi> started = new ArrayList<>();

    @AfterEach
    void stopServers() {
        started.forEach(TestingEdFiApi::close);
        http.close();
    }

    private TestingEdFiApi start(TestingEdFiApi.Options options) {
        TestingEdFiApi api = TestingEdFiApi.start(options);
        started.add(api);
        return api;
    }

    private TestingEdFiApi start() {
        return start(TestingEdFiApi.Options.defaults());
    }

    // ------------------------------------------------------------ discovery and metadata

    @Test
    void discoveryRootLeadsToDependenciesAndOpenApiDocuments() throws Exception {
        TestingEdFiApi api = start();
        JsonNode root = getJson(api.baseUrl());
        assertEquals("Ed-Fi", root.path("dataModels").path(0).path("name").asText());
        assertEquals("5.0.0", root.path("dataModels").path(0).path("version").asText());
        assertEquals(api.oauthUrl().toString(), root.path("urls").path("oauth").asText());
        assertEquals(
                api.dataUrl().toString(),
                root.path("urls").path("dataManagementApi").asText());

        JsonNode dependencies =
                getJson(URI.create(root.path("urls").path("dependencies").asText()));
        Set<String> resources = new HashSet<>();
        dependencies.forEach(entry -> resources.add(entry.path("resource").asText()));
        assertTrue(
                resources.containsAll(List.of("/ed-fi/schools", "/ed-fi/localEducationAgencies")), resources::toString);

        JsonNode listing =
                getJson(URI.create(root.path("urls").path("openApiMetadata").asText()));
        Set<String> names = new HashSet<>();
        for (JsonNode entry : listing) {
            names.add(entry.path("name").asText());
            JsonNode document = getJson(URI.create(entry.path("endpointUri").asText()));
            assertEquals("3.0.1", document.path("openapi").asText());
            assertTrue(
                    document.path("servers")
                            .path(0)
                            .path("url")
                            .asText()
                            .startsWith(api.baseUrl().toString()),
                    document.path("servers").toString());
        }
        assertEquals(Set.of("Resources", "Descriptors"), names);
    }

    // ------------------------------------------------------------ OAuth

    @Test
    void issuesTokensForFormBasicAndJsonCredentials() throws Exception {
        TestingEdFiApi api = start();
        String basic = Base64.getEncoder().encodeToString((api.clientId() + ":" + api.clientSecret()).getBytes(UTF_8));
        List<HttpRequest> requests = List.of(
                HttpRequest.newBuilder(api.oauthUrl())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Basic " + basic)
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                HttpRequest.newBuilder(api.oauthUrl())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                                + api.clientId() + "&client_secret=" + api.clientSecret()))
                        .build(),
                HttpRequest.newBuilder(api.oauthUrl())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + api.clientId()
                                        + "\",\"client_secret\":\"" + api.clientSecret() + "\"}"))
                        .build());
        Set<String> tokens = new HashSet<>();
        for (HttpRequest request : requests) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            assertEquals("bearer", body.path("token_type").asText());
            assertEquals(3600, body.path("expires_in").asLong());
            tokens.add(body.path("access_token").asText());
        }
        assertEquals(3, tokens.size());
        assertEquals(3, api.tokensIssued());
    }

    @Test
    void refusesWrongCredentialsWithInvalidClient() throws Exception {
        TestingEdFiApi api = start();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(api.oauthUrl())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "grant_type=client_credentials&client_id=" + api.clientId() + "&client_secret=wrong"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertEquals(
                "invalid_client", JSON.readTree(response.body()).path("error").asText());
        assertFalse(response.body().contains(api.clientSecret()));
    }

    @Test
    void dataRequestsNeedAnUnexpiredToken() throws Exception {
        TestingEdFiApi api = start(TestingEdFiApi.Options.defaults().withTokenLifetime(Duration.ofSeconds(1)));
        URI schools = api.dataUrl().resolve("ed-fi/schools");
        assertEquals(401, send(get(schools).build()).statusCode());
        assertEquals(
                401,
                send(get(schools).header("Authorization", "Bearer made-up").build())
                        .statusCode());

        String token = token(api);
        assertEquals(
                200,
                send(get(schools).header("Authorization", "Bearer " + token).build())
                        .statusCode());
        Thread.sleep(1_300);
        HttpResponse<String> expired =
                send(get(schools).header("Authorization", "Bearer " + token).build());
        assertEquals(401, expired.statusCode());
        assertTrue(expired.body().contains("expired"), expired.body());
    }

    @Test
    void expireTokensNowInvalidatesIssuedTokens() throws Exception {
        TestingEdFiApi api = start();
        String token = token(api);
        URI schools = api.dataUrl().resolve("ed-fi/schools");
        assertEquals(
                200,
                send(get(schools).header("Authorization", "Bearer " + token).build())
                        .statusCode());
        api.faults().expireTokensNow();
        assertEquals(
                401,
                send(get(schools).header("Authorization", "Bearer " + token).build())
                        .statusCode());
        assertEquals(
                200,
                send(get(schools)
                                .header("Authorization", "Bearer " + token(api))
                                .build())
                        .statusCode());
    }

    // ------------------------------------------------------------ POST

    @Test
    void postCreatesThenUpdatesTheSameNaturalKey() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        HttpResponse<String> created = client.post("localEducationAgencies", lea(255901, "Grand Bend ISD"));
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(api.dataUrl() + "ed-fi/localEducationAgencies/"), location);
        assertTrue(created.headers().firstValue("ETag").isPresent());

        HttpResponse<String> updated = client.post("localEducationAgencies", lea(255901, "Grand Bend School District"));
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals(location, updated.headers().firstValue("Location").orElseThrow());
        assertEquals(1, api.count("localEducationAgencies"));
        assertEquals(2, api.postCount("/ed-fi/localEducationAgencies"));
        assertEquals(1, api.postCount("localEducationAgencies", 201));
        assertEquals(1, api.postCount("ed-fi/localEducationAgencies", 200));

        JsonNode item = JSON.readTree(client.get(URI.create(location)).body());
        assertEquals(
                "Grand Bend School District", item.path("nameOfInstitution").asText());
        assertEquals(
                location.substring(location.lastIndexOf('/') + 1),
                item.path("id").asText());
        assertFalse(item.path("_etag").asText().isEmpty());
        assertEquals(item, api.items("localEducationAgencies").get(0));
    }

    @Test
    void unresolvedReferenceIsAConflictAndStoresNothing() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        HttpResponse<String> orphan = client.post("schools", school(15628, 255901));
        assertEquals(409, orphan.statusCode());
        assertTrue(orphan.body().contains("LocalEducationAgency"), orphan.body());
        assertEquals(0, api.count("schools"));

        assertEquals(
                201,
                client.post("localEducationAgencies", lea(255901, "Grand Bend ISD"))
                        .statusCode());
        assertEquals(201, client.post("schools", school(15628, 255901)).statusCode());
        assertEquals(1, api.count("schools"));
    }

    @Test
    void abstractEducationOrganizationReferenceResolvesToAnyConcreteOne() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        String course = "{\"courseCode\":\"ALG-1\",\"courseTitle\":\"Algebra I\",\"numberOfParts\":1,"
                + "\"identificationCodes\":[],\"educationOrganizationReference\":{\"educationOrganizationId\":255901}}";
        assertEquals(409, client.post("courses", course).statusCode());
        assertEquals(
                201,
                client.post("localEducationAgencies", lea(255901, "Grand Bend ISD"))
                        .statusCode());
        assertEquals(201, client.post("courses", course).statusCode());
        String leaId = api.items("localEducationAgencies").get(0).path("id").asText();
        assertEquals(409, client.delete("localEducationAgencies", leaId).statusCode());
    }

    @Test
    void badBodiesAreRejectedWithAMessage() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        HttpResponse<String> malformed = client.post("localEducationAgencies", "{\"localEducationAgencyId\": 1,");
        assertEquals(400, malformed.statusCode());
        assertTrue(JSON.readTree(malformed.body()).path("message").asText().contains("not valid JSON"));

        HttpResponse<String> missing = client.post("localEducationAgencies", "{\"localEducationAgencyId\": 1}");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("nameOfInstitution is required"), missing.body());

        HttpResponse<String> withId =
                client.post("localEducationAgencies", lea(1, "A").replace("{", "{\"id\":\"abc\","));
        assertEquals(400, withId.statusCode());
        assertTrue(withId.body().contains("'id'"), withId.body());

        HttpResponse<String> wrongType =
                client.post("localEducationAgencies", lea(1, "A").replace("1,", "\"one\","));
        assertEquals(400, wrongType.statusCode());
        assertTrue(wrongType.body().contains("must be an integer"), wrongType.body());

        assertEquals(404, client.post("widgets", lea(1, "A")).statusCode());
        assertEquals(0, api.count("localEducationAgencies"));
    }

    @Test
    void problemDetailsStyleNamesTheUnresolvedReference() throws Exception {
        TestingEdFiApi api =
                start(TestingEdFiApi.Options.defaults().withErrorStyle(TestingEdFiApi.ErrorStyle.PROBLEM_DETAILS));
        HttpResponse<String> orphan = new Client(api).post("schools", school(15628, 255901));
        assertEquals(409, orphan.statusCode());
        JsonNode body = JSON.readTree(orphan.body());
        assertEquals(
                "urn:ed-fi:api:data-conflict:unresolved-reference",
                body.path("type").asText());
        assertEquals(409, body.path("status").asInt());
        assertTrue(body.path("validationErrors").has("$.localEducationAgencyReference"), body.toString());
    }

    @Test
    void descriptorValuesAreCheckedAgainstStoredDescriptors() throws Exception {
        TestingEdFiApi api = start(
                TestingEdFiApi.Options.defaults().withDescriptorChecks(true).withDefaultDescriptors(true));
        Client client = new Client(api);
        assertTrue(api.count("gradeLevelDescriptors") > 10);
        JsonNode types = JSON.readTree(
                client.get(api.dataUrl().resolve("ed-fi/schoolTypeDescriptors")).body());
        assertTrue(types.path(0).path("schoolTypeDescriptorId").isIntegralNumber(), types.toString());

        assertEquals(
                201,
                client.post("localEducationAgencies", lea(255901, "Grand Bend ISD"))
                        .statusCode());
        HttpResponse<String> bad = client.post("schools", school(15628, 255901).replace("Ninth grade", "Grade Nine"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("Grade Nine"), bad.body());
        assertEquals(201, client.post("schools", school(15628, 255901)).statusCode());
    }

    // ------------------------------------------------------------ GET

    @Test
    void pagesWithOffsetLimitAndTotalCount() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        for (int year = 2000; year < 2030; year++) {
            assertEquals(201, client.post("schoolYearTypes", schoolYear(year)).statusCode());
        }
        URI collection = api.dataUrl().resolve("ed-fi/schoolYearTypes");
        List<Integer> seen = new ArrayList<>();
        for (int offset = 0; offset < 40; offset += 7) {
            HttpResponse<String> page = client.get(URI.create(collection + "?offset=" + offset + "&limit=7"));
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Total-Count").isEmpty());
            JSON.readTree(page.body())
                    .forEach(item -> seen.add(item.path("schoolYear").asInt()));
        }
        List<Integer> expected = new ArrayList<>();
        for (int year = 2000; year < 2030; year++) {
            expected.add(year);
        }
        assertEquals(expected, seen);

        HttpResponse<String> counted = client.get(URI.create(collection + "?limit=0&totalCount=true"));
        assertEquals("30", counted.headers().firstValue("Total-Count").orElseThrow());
        assertEquals(0, JSON.readTree(counted.body()).size());

        assertEquals(25, JSON.readTree(client.get(collection).body()).size());
        assertEquals(400, client.get(URI.create(collection + "?limit=501")).statusCode());
        assertEquals(400, client.get(URI.create(collection + "?offset=-1")).statusCode());
        assertEquals(200, client.get(URI.create(collection + "?limit=500")).statusCode());

        HttpResponse<String> filtered = client.get(URI.create(collection + "?schoolYear=2005&totalCount=true"));
        assertEquals("1", filtered.headers().firstValue("Total-Count").orElseThrow());
        assertEquals(
                2005, JSON.readTree(filtered.body()).path(0).path("schoolYear").asInt());
    }

    @Test
    void filtersByReferenceFields() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        client.post("localEducationAgencies", lea(1, "One"));
        client.post("localEducationAgencies", lea(2, "Two"));
        client.post("schools", school(11, 1));
        client.post("schools", school(12, 1));
        client.post("schools", school(21, 2));
        JsonNode inOne = JSON.readTree(client.get(api.dataUrl().resolve("ed-fi/schools?localEducationAgencyId=1"))
                .body());
        assertEquals(2, inOne.size());
        assertEquals(11, inOne.path(0).path("schoolId").asInt());
        assertEquals(12, inOne.path(1).path("schoolId").asInt());
    }

    @Test
    void putReplacesAnItemButNotItsNaturalKey() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        String id = id(client.post("localEducationAgencies", lea(7, "Seven")));
        URI item = api.dataUrl().resolve("ed-fi/localEducationAgencies/" + id);
        assertEquals(204, client.put(item, lea(7, "Seven Renamed")).statusCode());
        HttpResponse<String> read = client.get(item);
        assertEquals(
                "Seven Renamed",
                JSON.readTree(read.body()).path("nameOfInstitution").asText());
        assertEquals(
                "\"" + JSON.readTree(read.body()).path("_etag").asText() + "\"",
                read.headers().firstValue("ETag").orElseThrow());

        HttpResponse<String> keyChange = client.put(item, lea(8, "Eight"));
        assertEquals(400, keyChange.statusCode());
        assertTrue(keyChange.body().contains("natural key"), keyChange.body());
        assertEquals(
                404,
                client.put(api.dataUrl().resolve("ed-fi/localEducationAgencies/0000"), lea(7, "S"))
                        .statusCode());
        assertEquals(1, api.count("localEducationAgencies"));
    }

    // ------------------------------------------------------------ DELETE

    @Test
    void deleteAnswers204AndRefusesItemsOthersReference() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        String lea = id(client.post("localEducationAgencies", lea(255901, "Grand Bend ISD")));
        String school = id(client.post("schools", school(15628, 255901)));

        HttpResponse<String> referenced = client.delete("localEducationAgencies", lea);
        assertEquals(409, referenced.statusCode());
        assertTrue(referenced.body().contains("School"), referenced.body());

        assertEquals(204, client.delete("schools", school).statusCode());
        assertEquals(404, client.delete("schools", school).statusCode());
        assertEquals(
                404,
                client.get(api.dataUrl().resolve("ed-fi/schools/" + school)).statusCode());
        assertEquals(204, client.delete("localEducationAgencies", lea).statusCode());
        assertEquals(0, api.count("localEducationAgencies"));
    }

    @Test
    void updatingAReferenceMovesTheDependency() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        String first = id(client.post("localEducationAgencies", lea(1, "One")));
        String second = id(client.post("localEducationAgencies", lea(2, "Two")));
        assertEquals(201, client.post("schools", school(11, 1)).statusCode());
        assertEquals(200, client.post("schools", school(11, 2)).statusCode());
        assertEquals(204, client.delete("localEducationAgencies", first).statusCode());
        assertEquals(409, client.delete("localEducationAgencies", second).statusCode());
    }

    // ------------------------------------------------------------ faults

    @Test
    void rateLimitedRequestsCarryRetryAfterAndChangeNothing() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        api.faults().rateLimited(1.0, Duration.ofMillis(1500));
        HttpResponse<String> limited = client.post("localEducationAgencies", lea(1, "One"));
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(0, api.count("localEducationAgencies"));
        assertEquals(1, api.postCount("localEducationAgencies"));
        assertEquals(1, api.postCount("localEducationAgencies", 429));
        assertEquals(1, api.faults().injected(Faults.Kind.RATE_LIMITED));

        api.faults().clear();
        assertEquals(201, client.post("localEducationAgencies", lea(1, "One")).statusCode());
    }

    @Test
    void serverErrorsAnswer500() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        api.faults().serverErrors(1.0);
        assertEquals(500, client.post("localEducationAgencies", lea(1, "One")).statusCode());
        assertEquals(500, client.get(api.dataUrl().resolve("ed-fi/schools")).statusCode());
        assertEquals(200, client.get(api.baseUrl()).statusCode());
        assertEquals(0, api.count("localEducationAgencies"));
        assertEquals(2, api.faults().injected(Faults.Kind.SERVER_ERROR));
    }

    @Test
    void stalledRequestsAnswerLate() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        api.faults().stall(Duration.ofMillis(400), 1);
        long started = System.nanoTime();
        assertEquals(201, client.post("localEducationAgencies", lea(1, "One")).statusCode());
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(400).toNanos());
        assertEquals(201, client.post("localEducationAgencies", lea(2, "Two")).statusCode());
        assertEquals(1, api.faults().injected(Faults.Kind.STALLED));
    }

    @Test
    void stalledRequestsWaitConcurrently() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        int requests = 16;
        api.faults().stall(Duration.ofMillis(500), requests);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            long started = System.nanoTime();
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(
                        () -> client.get(api.dataUrl().resolve("ed-fi/schools")).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(30, TimeUnit.SECONDS));
            }
            long elapsed = System.nanoTime() - started;
            assertTrue(elapsed >= Duration.ofMillis(500).toNanos());
            assertTrue(
                    elapsed < Duration.ofMillis(500L * requests / 2).toNanos(), "took " + elapsed / 1_000_000 + " ms");
        } finally {
            pool.shutdown();
        }
        assertEquals(requests, api.faults().injected(Faults.Kind.STALLED));
    }

    @Test
    void droppedConnectionsGiveTheClientAnIOException() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        api.faults().dropConnections(1.0);
        assertThrows(IOException.class, () -> client.post("localEducationAgencies", lea(1, "One")));
        assertEquals(0, api.count("localEducationAgencies"));
        assertTrue(api.requests().stream().anyMatch(entry -> entry.status() == 0), api.requests()::toString);
        assertEquals(1, api.postCount("localEducationAgencies", 0));
        api.faults().clear();
        assertEquals(201, client.post("localEducationAgencies", lea(1, "One")).statusCode());
    }

    @Test
    void faultDrawsAreReproducibleForASeed() throws Exception {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            TestingEdFiApi api = start(TestingEdFiApi.Options.defaults().withSeed(42));
            api.faults().rateLimited(0.3, Duration.ZERO).serverErrors(0.2);
            Client client = new Client(api);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                statuses.add(client.post("localEducationAgencies", lea(i, "LEA " + i))
                        .statusCode());
            }
            runs.add(statuses);
            assertTrue(statuses.contains(429) && statuses.contains(500) && statuses.contains(201), statuses::toString);
        }
        assertEquals(runs.get(0), runs.get(1));
    }

    // ------------------------------------------------------------ layouts, concurrency, keep-alive, standalone

    @Test
    void yearSpecificModesServeTheYearInTheirPaths() throws Exception {
        TestingEdFiApi older = start(TestingEdFiApi.Options.defaults()
                .withMode(TestingEdFiApi.Mode.YEAR_SPECIFIC)
                .withYear(2024));
        assertTrue(older.dataUrl().toString().endsWith("/data/v3/2024/"), older.dataUrl()::toString);
        Client client = new Client(older);
        assertEquals(201, client.post("schoolYearTypes", schoolYear(2024)).statusCode());
        assertEquals(
                404,
                client.get(older.baseUrl().resolve("data/v3/ed-fi/schoolYearTypes"))
                        .statusCode());

        TestingEdFiApi ods7 = start(TestingEdFiApi.Options.defaults()
                .withMode(TestingEdFiApi.Mode.YEAR_SPECIFIC_ODS7)
                .withYear(2024));
        assertTrue(ods7.baseUrl().toString().endsWith("/2024/"), ods7.baseUrl()::toString);
        JsonNode root = getJson(ods7.baseUrl());
        assertEquals(
                ods7.baseUrl() + "data/v3/",
                root.path("urls").path("dataManagementApi").asText());
        Client ods7Client = new Client(ods7);
        assertEquals(201, ods7Client.post("schoolYearTypes", schoolYear(2024)).statusCode());
        assertEquals(1, ods7.count("schoolYearTypes"));

        TestingEdFiApi instance = start(TestingEdFiApi.Options.defaults()
                .withMode(TestingEdFiApi.Mode.INSTANCE_YEAR_SPECIFIC)
                .withInstanceCode("district-7")
                .withYear(2023));
        assertTrue(instance.dataUrl().toString().endsWith("/data/v3/district-7/2023/"), instance.dataUrl()::toString);
        Client instanceClient = new Client(instance);
        assertEquals(
                201, instanceClient.post("schoolYearTypes", schoolYear(2023)).statusCode());
        assertEquals(
                404,
                instanceClient
                        .get(instance.baseUrl().resolve("data/v3/2023/ed-fi/schoolYearTypes"))
                        .statusCode());
    }

    @Test
    void optionsNeverShowTheClientSecret() {
        TestingEdFiApi.Options options = TestingEdFiApi.Options.defaults().withCredentials("id", "hunter2-secret");
        assertFalse(options.toString().contains("hunter2-secret"), options.toString());
        assertTrue(options.toString().contains("clientId=id"), options.toString());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> TestingEdFiApi.Options.defaults().withInstanceCode("a/b"));
        assertTrue(bad.getMessage().contains("a/b"), bad.getMessage());
    }

    @Test
    void concurrentPostsOfDistinctKeysAllLand() throws Exception {
        TestingEdFiApi api = start();
        Client client = new Client(api);
        assertEquals(201, client.post("localEducationAgencies", lea(1, "One")).statusCode());
        int total = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int schoolId = 1000 + i;
                answers.add(pool.submit(
                        () -> client.post("schools", school(schoolId, 1)).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(201, answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(total, api.count("schools"));
        String lea = api.items("localEducationAgencies").get(0).path("id").asText();
        assertEquals(409, client.delete("localEducationAgencies", lea).statusCode());
    }

    @Test
    void keepsConnectionsAlive() throws Exception {
        TestingEdFiApi api = start();
        try (Socket socket = new Socket(
                java.net.InetAddress.getLoopbackAddress(), api.baseUrl().getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(UTF_8));
                out.flush();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
                int length = Integer.parseInt(header(head, "content-length"));
                assertTrue(in.readNBytes(length).length == length);
            }
        }
    }

    @Test
    void standaloneProcessServesOnTheGivenPort() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        TestingEdFiApi.class.getName(),
                        "--port",
                        String.valueOf(port),
                        "--token-lifetime",
                        "120")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            String first = out.readLine();
            assertEquals("http://127.0.0.1:" + port + "/", first);
            JsonNode root = getJson(URI.create(first));
            assertEquals(
                    "5.0.0", root.path("dataModels").path(0).path("version").asText());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void launchRejectsUnknownOptionsByName() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> TestingEdFiApi.launch(new String[] {"--prot", "1"}, out));
        assertTrue(unknown.getMessage().contains("--prot"), unknown.getMessage());
        IllegalArgumentException badMode = assertThrows(
                IllegalArgumentException.class, () -> TestingEdFiApi.launch(new String[] {"--mode", "sandboxed"}, out));
        assertTrue(badMode.getMessage().contains("sandboxed"), badMode.getMessage());
    }

    @Test
    void launchStartsAServerThatAnswers() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TestingEdFiApi api = TestingEdFiApi.launch(
                new String[] {"--client-id", "k", "--client-secret", "zq-secret-9"},
                new PrintStream(printed, true, UTF_8));
        started.add(api);
        assertEquals(
                api.baseUrl().toString(),
                printed.toString(UTF_8).lines().findFirst().orElseThrow());
        assertFalse(printed.toString(UTF_8).contains("zq-secret-9"));
        assertEquals("k", api.clientId());
        assertEquals(
                200, new Client(api).get(api.dataUrl().resolve("ed-fi/schools")).statusCode());
    }

    // ------------------------------------------------------------ helpers

    private static String lea(long id, String name) {
        return "{\"localEducationAgencyId\":" + id + ",\"nameOfInstitution\":\"" + name + "\","
                + "\"localEducationAgencyCategoryDescriptor\":"
                + "\"uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Independent\","
                + "\"categories\":[{\"educationOrganizationCategoryDescriptor\":"
                + "\"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency\"}]}";
    }

    private static String school(long id, long lea) {
        return "{\"localEducationAgencyReference\":{\"localEducationAgencyId\":" + lea + "},\"schoolId\":" + id
                + ",\"nameOfInstitution\":\"School " + id + "\",\"educationOrganizationCategories\":"
                + "[{\"educationOrganizationCategoryDescriptor\":"
                + "\"uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School\"}],"
                + "\"gradeLevels\":[{\"gradeLevelDescriptor\":\"uri://ed-fi.org/GradeLevelDescriptor#Ninth grade\"}],"
                + "\"addresses\":[{\"addressTypeDescriptor\":\"uri://ed-fi.org/AddressTypeDescriptor#Physical\","
                + "\"city\":\"Someville\",\"latitude\":\"\",\"postalCode\":\"53722\","
                + "\"stateAbbreviationDescriptor\":\"uri://ed-fi.org/StateAbbreviationDescriptor#IA\","
                + "\"streetNumberName\":\"51 Main St.\",\"periods\":[]}]}";
    }

    private static String schoolYear(int year) {
        return "{\"schoolYear\":" + year + ",\"currentSchoolYear\":false,\"schoolYearDescription\":\"" + (year - 1)
                + "-" + year + "\"}";
    }

    private static String id(HttpResponse<String> created) {
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private JsonNode getJson(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = send(get(uri).build());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).GET();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String token(TestingEdFiApi api) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.oauthUrl())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + api.clientId()
                        + "&client_secret=" + api.clientSecret()))
                .build());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.toString(UTF_8));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        return head.toString(UTF_8);
    }

    private static String header(String head, String name) {
        return head.lines()
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + head));
    }

    /** A client holding one token, as an Ed-Fi client would. */
    private final class Client {
        private final TestingEdFiApi api;
        private final String token;

        Client(TestingEdFiApi api) throws IOException, InterruptedException {
            this.api = api;
            this.token = token(api);
        }

        HttpResponse<String> post(String resource, String body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(api.dataUrl().resolve("ed-fi/" + resource))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
        }

        HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build());
        }

        HttpResponse<String> put(URI uri, String body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build());
        }

        HttpResponse<String> delete(String resource, String id) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(api.dataUrl().resolve("ed-fi/" + resource + "/" + id))
                    .header("Authorization", "Bearer " + token)
                    .DELETE()
                    .build());
        }
    }
}
