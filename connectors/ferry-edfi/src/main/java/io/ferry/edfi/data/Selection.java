package io.ferry.edfi.data;

import io.ferry.edfi.EdFiErrorCode;
import io.ferry.edfi.api.ApiResource;
import io.ferry.spi.error.FerryException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * lightbeam's {@code -s/--selector} and {@code -e/--exclude}: comma lists of resource names, each
 * with an optional {@code *} at its start or end ({@code *Associations}, {@code student*}), or a
 * lone {@code *} for all. Names match without regard to case. The result keeps dependency order.
 */
public final class Selection {
    private Selection() {}

    /** The resources of {@code ordered} that {@code selector} matches and {@code exclude} does not. */
    public static List<ApiResource> apply(List<ApiResource> ordered, String selector, String exclude) {
        Set<ApiResource> selected = matches(ordered, selector.isBlank() ? "*" : selector, "-s/--selector", true);
        Set<ApiResource> excluded = exclude.isBlank() ? Set.of() : matches(ordered, exclude, "-e/--exclude", false);
        List<ApiResource> result = new ArrayList<>();
        for (ApiResource resource : ordered) {
            if (selected.contains(resource) && !excluded.contains(resource)) {
                result.add(resource);
            }
        }
        if (result.isEmpty()) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    "the selector '" + selector + "'" + (exclude.isBlank() ? "" : " without '" + exclude + "'")
                            + " leaves no resource to process; check it for typos (example: -s schools,student*)");
        }
        return result;
    }

    private static Set<ApiResource> matches(
            List<ApiResource> ordered, String expression, String option, boolean strict) {
        Set<ApiResource> result = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String raw : expression.split(",", -1)) {
            String pattern = raw.strip().toLowerCase(Locale.ROOT);
            if (pattern.isEmpty()) {
                continue;
            }
            boolean any = false;
            for (ApiResource resource : ordered) {
                String name = resource.name().toLowerCase(Locale.ROOT);
                boolean match;
                if (pattern.equals("*")) {
                    match = true;
                } else if (pattern.startsWith("*") && pattern.endsWith("*") && pattern.length() > 1) {
                    match = name.contains(pattern.substring(1, pattern.length() - 1));
                } else if (pattern.startsWith("*")) {
                    match = name.endsWith(pattern.substring(1));
                } else if (pattern.endsWith("*")) {
                    match = name.startsWith(pattern.substring(0, pattern.length() - 1));
                } else {
                    match = name.equals(pattern);
                }
                if (match) {
                    result.add(resource);
                    any = true;
                }
            }
            if (!any && !pattern.contains("*")) {
                unknown.add(raw.strip());
            }
        }
        if (strict && !unknown.isEmpty()) {
            throw new FerryException(
                    EdFiErrorCode.BAD_ARGUMENT,
                    option + " names " + String.join(", ", unknown) + ", which "
                            + (unknown.size() == 1 ? "is" : "are") + " not a resource of the API; check for typos"
                            + " (example: -s schools,localEducationAgencies)");
        }
        return result;
    }
}
