package io.ferry.cli;

import static io.ferry.spi.error.StandardErrorCode.BAD_OPTION;

import io.ferry.kafka.KafkaSink;
import io.ferry.kafka.KafkaSinkSettings;
import io.ferry.kafka.KafkaSource;
import io.ferry.kafka.KafkaSourceSettings;
import io.ferry.kafka.Partitioning;
import io.ferry.spi.error.FerryException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How to reach Kafka ({@code kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]}) and, for exports, where
 * to start and stop. Client properties (SASL, TLS) come from {@code --kafka-property} and {@code
 * --kafka-properties}; their values are never stored with the job or printed.
 */
public final class KafkaOptions {
    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "A Kafka client property, such as security.protocol=SASL_SSL; may be repeated. Values are"
                    + " not stored with the job: give them again when resuming. Example:"
                    + " --kafka-property sasl.mechanism=SCRAM-SHA-512")
    List<String> properties = new ArrayList<>();

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "A properties file of Kafka client settings (read before --kafka-property). Example:"
                    + " --kafka-properties client.properties")
    @Nullable
    Path propertiesFile;

    @Option(
            names = "--topic-pattern",
            arity = "0..1",
            fallbackValue = "true",
            description = "Read the topic part of a kafka:// stream as a regular expression (export only). Example:"
                    + " --topic-pattern (with kafka://localhost:9092/orders-.*)")
    boolean topicPattern;

    @Option(
            names = "--partition",
            paramLabel = "N",
            split = ",",
            description = "Export only these partitions (default: all). Example: --partition 0,3")
    List<Integer> partitions = new ArrayList<>();

    @Option(
            names = "--from-offset",
            paramLabel = "OFFSET",
            description = "Start every partition at this offset (default: the earliest). Example: --from-offset 1000")
    @Nullable
    Long fromOffset;

    @Option(
            names = "--from-time",
            paramLabel = "INSTANT",
            description = "Start at the first record at or after this time (ISO-8601). Example:"
                    + " --from-time 2026-11-01T00:00:00Z")
    @Nullable
    String fromTime;

    @Option(
            names = "--until-time",
            paramLabel = "INSTANT",
            description = "Stop before the first record at or after this time (ISO-8601). Example:"
                    + " --until-time 2026-11-02T00:00:00Z")
    @Nullable
    String untilTime;

    @Option(
            names = "--follow",
            arity = "0..1",
            fallbackValue = "true",
            description = "Keep reading new records instead of stopping at the end offsets seen at the start;"
                    + " Ctrl-C pauses. Example: --follow")
    boolean follow;

    @Option(
            names = "--commit-group",
            paramLabel = "GROUP",
            description = "Also commit exported offsets for this consumer group (ferry keeps its own positions"
                    + " either way and never touches a group otherwise). Example: --commit-group archiver")
    @Nullable
    String commitGroup;

    @Option(
            names = "--partitioner",
            paramLabel = "MODE",
            defaultValue = "same",
            description = "Import: which target partition a record goes to: same (its original partition) or key"
                    + " (the producer's key hash). Default: ${DEFAULT-VALUE}. Example: --partitioner key")
    String partitioner = "same";

    @Option(
            names = "--partition-map",
            paramLabel = "FROM:TO,...",
            description =
                    "Import: send source partitions to chosen target partitions. Example: --partition-map 0:1,1:0")
    @Nullable
    String partitionMap;

    @Option(
            names = "--max-event-size",
            paramLabel = "SIZE",
            converter = ByteSize.class,
            description = "Import: split records larger than this into chunk events, put back together on export."
                    + " Default: the topic's max.message.bytes. Example: --max-event-size 1MiB")
    @Nullable
    Long maxEventSize;

    @Option(
            names = "--allow-nonempty-target",
            arity = "0..1",
            fallbackValue = "true",
            description = "Import into a topic that holds records of other writers (refused by default, since a"
                    + " restore is only exact into a topic of its own). Example: --allow-nonempty-target")
    boolean allowNonEmptyTarget;

    static boolean isKafka(String location) {
        return location.regionMatches(true, 0, "kafka://", 0, 8);
    }

    /** {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]} split into servers and topics. */
    record Location(String bootstrapServers, List<String> topics) {
        static Location parse(String location) {
            String rest = location.substring("kafka://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new FerryException(
                        BAD_OPTION,
                        "'" + location + "' must name servers and topics: kafka://HOST:PORT/TOPIC (example:"
                                + " kafka://localhost:9092/orders)");
            }
            List<String> topics = Arrays.stream(rest.substring(slash + 1).split(","))
                    .filter(topic -> !topic.isBlank())
                    .toList();
            return new Location(rest.substring(0, slash), topics);
        }
    }

    KafkaSource source(String location) {
        Location parsed = Location.parse(location);
        try {
            KafkaSourceSettings.Builder builder =
                    KafkaSourceSettings.builder(parsed.bootstrapServers()).clientProperties(clientProperties());
            if (topicPattern) {
                builder.topicPattern(Pattern.compile(String.join(",", parsed.topics())));
            } else {
                builder.topics(parsed.topics());
            }
            if (!partitions.isEmpty()) {
                builder.partitions(partitions);
            }
            if (fromOffset != null) {
                builder.fromOffset(fromOffset);
            }
            if (fromTime != null) {
                builder.fromTime(instant("--from-time", fromTime));
            }
            if (untilTime != null) {
                builder.untilTime(instant("--until-time", untilTime));
            }
            builder.follow(follow);
            if (commitGroup != null) {
                builder.commitGroup(commitGroup);
            }
            return new KafkaSource(builder.build());
        } catch (PatternSyntaxException e) {
            throw new FerryException(
                    BAD_OPTION,
                    "--topic-pattern: '" + e.getPattern() + "' is not a regular expression: " + e.getDescription(),
                    e);
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
    }

    KafkaSink sink(String location) {
        Location parsed = Location.parse(location);
        if (parsed.topics().size() != 1) {
            throw new FerryException(
                    BAD_OPTION,
                    "An import writes one topic, got '" + location
                            + "' (example: kafka://localhost:9092/orders-restored)");
        }
        try {
            KafkaSinkSettings settings = KafkaSinkSettings.of(
                            parsed.bootstrapServers(), parsed.topics().get(0), clientProperties())
                    .withPartitioning(partitioning())
                    .withAllowNonEmptyTarget(allowNonEmptyTarget);
            if (maxEventSize != null) {
                settings = settings.withMaxEventSize((int) Math.min(Integer.MAX_VALUE, maxEventSize));
            }
            return new KafkaSink(settings);
        } catch (IllegalArgumentException e) {
            throw new FerryException(BAD_OPTION, String.valueOf(e.getMessage()), e);
        }
    }

    private Partitioning partitioning() {
        if (partitionMap != null) {
            Map<Integer, Integer> map = new LinkedHashMap<>();
            for (String pair : partitionMap.split(",", -1)) {
                String[] parts = pair.trim().split(":", -1);
                try {
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("not one FROM:TO pair");
                    }
                    map.put(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                } catch (RuntimeException e) {
                    throw new FerryException(
                            BAD_OPTION,
                            "--partition-map must be FROM:TO pairs, got '" + pair
                                    + "' (example: --partition-map 0:1,1:0)",
                            e);
                }
            }
            return Partitioning.map(map);
        }
        return switch (partitioner.toLowerCase(Locale.ROOT)) {
            case "same" -> Partitioning.SAME;
            case "key" -> Partitioning.KEY;
            default ->
                throw new FerryException(
                        BAD_OPTION,
                        "--partitioner must be same or key, got '" + partitioner + "' (example: --partitioner key)");
        };
    }

    private Map<String, String> clientProperties() {
        Map<String, String> all = new LinkedHashMap<>();
        if (propertiesFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(propertiesFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new FerryException(
                        BAD_OPTION, "Cannot read --kafka-properties " + propertiesFile + ": " + e.getMessage(), e);
            }
            file.stringPropertyNames().forEach(name -> all.put(name, file.getProperty(name)));
        }
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new FerryException(
                        BAD_OPTION,
                        "--kafka-property must be KEY=VALUE, got a value without '=' (example: --kafka-property"
                                + " security.protocol=SSL)");
            }
            all.put(property.substring(0, equals).trim(), property.substring(equals + 1));
        }
        return all;
    }

    private static Instant instant(String option, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new FerryException(
                    BAD_OPTION,
                    option + " must be an ISO-8601 instant, got '" + value + "' (example: " + option
                            + " 2026-11-01T00:00:00Z)",
                    e);
        }
    }

    /** What of these options decides which records a job moves, for job specs. */
    Map<String, String> spec() {
        Map<String, String> spec = new TreeMap<>();
        if (propertiesFile != null) {
            spec.put(
                    "--kafka-properties",
                    propertiesFile.toAbsolutePath().normalize().toString());
        }
        if (topicPattern) {
            spec.put("--topic-pattern", "true");
        }
        if (!partitions.isEmpty()) {
            spec.put(
                    "--partition",
                    String.join(",", partitions.stream().map(String::valueOf).toList()));
        }
        if (fromOffset != null) {
            spec.put("--from-offset", fromOffset.toString());
        }
        if (fromTime != null) {
            spec.put("--from-time", fromTime);
        }
        if (untilTime != null) {
            spec.put("--until-time", untilTime);
        }
        if (follow) {
            spec.put("--follow", "true");
        }
        if (commitGroup != null) {
            spec.put("--commit-group", commitGroup);
        }
        if (!partitioner.equals("same")) {
            spec.put("--partitioner", partitioner);
        }
        if (partitionMap != null) {
            spec.put("--partition-map", partitionMap);
        }
        if (maxEventSize != null) {
            spec.put("--max-event-size", maxEventSize.toString());
        }
        if (allowNonEmptyTarget) {
            spec.put("--allow-nonempty-target", "true");
        }
        return spec;
    }
}
