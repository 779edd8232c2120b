package io.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets in what the API returns and logs: values of secret-named fields, every value of a
 * {@code params} object, URL passwords.
 */
final class Secrets {
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(secret|password|passwd|token|credential|private|jaas).*");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]+):[^@/\\s]+@");
    private static final Pattern ASSIGNED_SECRET =
            Pattern.compile("(?i)((?:secret|password|passwd|token|credential|jaas)[a-z0-9._-]*\\s*=\\s*)[^,;\\s]+");
    private static final Pattern JAAS = Pattern.compile("(?i)(jaas[a-z0-9._-]*\\s*=\\s*).*");
    static final String MASK = "****";

    private Secrets() {}

    /** A copy of {@code json} with secrets replaced by {@value #MASK}. */
    static JsonNode mask(JsonNode json) {
        JsonNode copy = json.deepCopy();
        maskInPlace(copy);
        return copy;
    }

    private static void maskInPlace(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (SECRET_NAME.matcher(field.getKey()).matches()
                        && !field.getValue().isContainerNode()) {
                    field.setValue(object.textNode(MASK));
                } else if (field.getKey().equals("params") && field.getValue() instanceof ObjectNode params) {
                    // values for ${VAR} in a YAML file: often credentials, whatever their names
                    params.properties().forEach(param -> param.setValue(params.textNode(MASK)));
                } else if (field.getValue().isTextual()) {
                    field.setValue(object.textNode(mask(field.getValue().asText())));
                } else {
                    maskInPlace(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, array.textNode(mask(array.get(i).asText())));
                } else {
                    maskInPlace(array.get(i));
                }
            }
        }
    }

    /** {@code text} with URL passwords and {@code password=...}-style assignments hidden. */
    static String mask(String text) {
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
        masked = JAAS.matcher(masked).replaceAll("$1" + MASK);
        return ASSIGNED_SECRET.matcher(masked).replaceAll("$1" + MASK);
    }
}
