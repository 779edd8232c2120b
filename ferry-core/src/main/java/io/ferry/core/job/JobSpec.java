package io.ferry.core.job;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a job is: its kind and the options that decide what data goes where (paths made absolute,
 * defaults filled in). Two commands with equal specs are the same job: that is what makes running
 * a command again resume it. Options that only change how the run looks (progress, results file)
 * are not part of the spec.
 */
public record JobSpec(String kind, SortedMap<String, String> options) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public JobSpec {
        requireNonNull(kind, "kind is null");
        options = new TreeMap<>(requireNonNull(options, "options is null"));
    }

    public static JobSpec of(String kind, Map<String, String> options) {
        return new JobSpec(kind, new TreeMap<>(options));
    }

    /** A stable text form: what is stored with the job and compared on resume. */
    public String canonical() {
        StringBuilder text = new StringBuilder(kind);
        options.forEach(
                (key, value) -> text.append('\n').append(key).append('=').append(value));
        return text.toString();
    }

    /**
     * The name a job gets when the user gives none: kind, a readable hint (such as the input's file
     * name), and a hash of the spec, e.g. {@code export-orders-3f2a9c1b}.
     */
    public String derivedName(String hint) {
        String readable =
                hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40).replaceAll("-+$", "");
        }
        String hash = sha256(canonical()).substring(0, 8);
        return readable.isEmpty() ? kind + "-" + hash : kind + "-" + readable + "-" + hash;
    }

    /** Fails with a message naming the value when {@code name} is not a usable job name. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Job name '" + name
                    + "' is not valid: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit"
                    + " (example: --name nightly-orders)");
        }
        return name;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
