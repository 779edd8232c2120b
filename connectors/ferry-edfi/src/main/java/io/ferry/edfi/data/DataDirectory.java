package io.ferry.edfi.data;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The payload files in data_dir: {@code {Resource}.jsonl}, {@code .ndjson} or {@code .json}, and
 * every such file in a folder {@code {Resource}/}, names matched to the API's resources without
 * regard to case. A data file that names no resource is an error, not silently left out.
 */
public final class DataDirectory {
    public static final Set<String> EXTENSIONS = Set.of("jsonl", "ndjson", "json");

    private final Path root;
    private final Map<ApiResource, List<Path>> files;

    private DataDirectory(Path root, Map<ApiResource, List<Path>> files) {
        this.root = root;
        this.files = files;
    }

    /** Scans {@code root} against {@code resources} (the API's resources sendable in the configured namespaces). */
    public static DataDirectory scan(Path root, List<ApiResource> resources) {
        if (!Files.isDirectory(root)) {
            throw new FerryException(
                    EdFiErrorCode.BAD_DATA,
                    "data_dir " + root + " is not a directory; set data_dir in the YAML file to the folder of"
                            + " {Resource}.jsonl files (example: data_dir: ./data/)");
        }
        Map<String, ApiResource> byName = new LinkedHashMap<>();
        for (ApiResource resource : resources) {
            byName.putIfAbsent(resource.name().toLowerCase(Locale.ROOT), resource);
        }
        Map<ApiResource, List<Path>> found = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Path entry : list(root)) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                List<Path> inside = list(entry).stream()
                        .filter(Files::isRegularFile)
                        .filter(file -> extension(file).isPresent())
                        .toList();
                if (inside.isEmpty()) {
                    continue;
                }
                ApiResource resource = byName.get(fileName.toLowerCase(Locale.ROOT));
                if (resource == null) {
                    unknown.add(entry + "/" + suggestion(fileName, byName.values()));
                } else {
                    found.computeIfAbsent(resource, r -> new ArrayList<>()).addAll(inside);
                }
            } else if (Files.isRegularFile(entry)) {
                Optional<String> extension = extension(entry);
                if (extension.isEmpty()) {
                    continue;
                }
                String stem = fileName.substring(
                        0, fileName.length() - extension.get().length() - 1);
                ApiResource resource = byName.get(stem.toLowerCase(Locale.ROOT));
                if (resource == null) {
                    unknown.add(entry + suggestion(stem, byName.values()));
                } else {
                    found.computeIfAbsent(resource, r -> new ArrayList<>()).add(entry);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new FerryException(
                    EdFiErrorCode.BAD_DATA,
                    "data_dir " + root + " holds "
                            + (unknown.size() == 1 ? "a data file" : unknown.size() + " data files")
                            + " named after no resource of the API: " + String.join(", ", unknown)
                            + "; rename each to {resource}.jsonl after an API resource (example: schools.jsonl) or move it out of data_dir");
        }
        found.values().forEach(list -> list.sort(null));
        return new DataDirectory(root, found);
    }

    private static String suggestion(String name, java.util.Collection<ApiResource> resources) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ApiResource resource : resources) {
            int distance =
                    distance(name.toLowerCase(Locale.ROOT), resource.name().toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = resource.name();
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Optional<String> extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String extension = name.substring(dot + 1);
        return EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT)) ? Optional.of(extension) : Optional.empty();
    }

    private static List<Path> list(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new FerryException(EdFiErrorCode.BAD_DATA, "cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The resources of {@code selected} (in that order) that have data files. */
    public List<ResourceFiles> withData(List<ApiResource> selected) {
        List<ResourceFiles> result = new ArrayList<>();
        for (ApiResource resource : selected) {
            List<Path> paths = files.get(resource);
            if (paths != null) {
                result.add(new ResourceFiles(resource, paths));
            }
        }
        return result;
    }

    /** The data files of {@code resource}; empty when it has none. */
    public List<Path> filesOf(ApiResource resource) {
        return files.getOrDefault(resource, List.of());
    }
}
