package io.ferry.postgres;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * PostgreSQL text as a lexer sees it: code, quoted text ({@code '...'}, {@code E'...'}, {@code
 * "..."}, {@code $tag$...$tag$}) and comments ({@code --}, nested {@code /* *}{@code /}). Finds
 * {@code :name} placeholders in code only, so {@code ::casts}, {@code :=} and anything inside
 * quotes or comments is left alone. An array slice written {@code a[lo:hi]} reads as a placeholder
 * {@code :hi}; write {@code a[lo : hi]} instead.
 */
final class SqlText {
    /** A {@code :name} placeholder; {@code end} is exclusive. */
    record Placeholder(String name, int start, int end) {}

    private enum Kind {
        CODE,
        QUOTED,
        COMMENT
    }

    private record Region(Kind kind, int start, int end) {}

    private SqlText() {}

    /** Every placeholder in order of appearance. */
    static List<Placeholder> placeholders(String sql) {
        List<Placeholder> found = new ArrayList<>();
        for (Region region : regions(sql)) {
            if (region.kind() != Kind.CODE) {
                continue;
            }
            int i = region.start();
            while (i < region.end()) {
                char c = sql.charAt(i);
                if (c != ':') {
                    i++;
                    continue;
                }
                if (i + 1 < region.end() && sql.charAt(i + 1) == ':') {
                    i += 2; // a cast; a third colon cannot follow in valid SQL
                    continue;
                }
                int nameEnd = i + 1;
                if (nameEnd < region.end() && isIdentifierStart(sql.charAt(nameEnd))) {
                    while (nameEnd < region.end() && isIdentifierPart(sql.charAt(nameEnd))) {
                        nameEnd++;
                    }
                    found.add(new Placeholder(sql.substring(i + 1, nameEnd), i, nameEnd));
                }
                i = nameEnd;
            }
        }
        return found;
    }

    /** The distinct placeholder names, in order of first appearance. */
    static Set<String> parameterNames(String sql) {
        Set<String> names = new LinkedHashSet<>();
        for (Placeholder placeholder : placeholders(sql)) {
            names.add(placeholder.name());
        }
        return names;
    }

    /** {@code sql} with each placeholder replaced by {@code replacement.apply(name)}. */
    static String replacePlaceholders(String sql, Function<String, String> replacement) {
        StringBuilder out = new StringBuilder(sql.length() + 32);
        int from = 0;
        for (Placeholder placeholder : placeholders(sql)) {
            out.append(sql, from, placeholder.start()).append(replacement.apply(placeholder.name()));
            from = placeholder.end();
        }
        return out.append(sql, from, sql.length()).toString();
    }

    /** {@code sql} with {@code :name}s replaced by the quoted literals of {@code values}; all must be present. */
    static String render(String sql, Map<String, String> values, boolean standardConformingStrings) {
        return replacePlaceholders(
                sql, name -> literal(requireNonNull(values.get(name), name), standardConformingStrings));
    }

    /**
     * A string literal holding {@code value} exactly. Untyped, so PostgreSQL reads it as the type its
     * context needs ({@code updated_at < '2024-01-01'}).
     */
    static String literal(String value, boolean standardConformingStrings) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a PostgreSQL text value cannot hold a NUL character");
        }
        if (standardConformingStrings) {
            return "'" + value.replace("'", "''") + "'";
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** {@code sql} with comments replaced by a space each and surrounding whitespace trimmed. */
    static String withoutComments(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        for (Region region : regions(sql)) {
            if (region.kind() == Kind.COMMENT) {
                out.append(' ');
            } else {
                out.append(sql, region.start(), region.end());
            }
        }
        return out.toString().strip();
    }

    /**
     * The query inside {@code COPY ( query ) TO STDOUT ...}, if {@code sql} (without comments) is
     * that; empty when it is anything else.
     */
    static Optional<String> copyQuery(String sql) {
        String text = withoutComments(sql);
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        if (!text.regionMatches(true, 0, "COPY", 0, 4)) {
            return Optional.empty();
        }
        int open = 4;
        while (open < text.length() && Character.isWhitespace(text.charAt(open))) {
            open++;
        }
        if (open >= text.length() || text.charAt(open) != '(') {
            return Optional.empty();
        }
        int depth = 0;
        for (Region region : regions(text)) {
            if (region.kind() != Kind.CODE || region.end() <= open) {
                continue;
            }
            for (int i = Math.max(open, region.start()); i < region.end(); i++) {
                char c = text.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    String tail = text.substring(i + 1).strip().toUpperCase(Locale.ROOT);
                    if (!tail.matches("(?s)TO\\s+STDOUT\\b.*")) {
                        return Optional.empty();
                    }
                    return Optional.of(text.substring(open + 1, i).strip());
                }
            }
        }
        return Optional.empty();
    }

    /** The first keyword of a statement, upper case; empty for no code. */
    static String firstKeyword(String sql) {
        String text = withoutComments(sql);
        int i = 0;
        while (i < text.length() && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == '(')) {
            i++;
        }
        int start = i;
        while (i < text.length() && isIdentifierPart(text.charAt(i))) {
            i++;
        }
        return text.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /** True when {@code sql} holds nothing but whitespace and comments. */
    static boolean isBlank(String sql) {
        return withoutComments(sql).replace(";", "").isBlank();
    }

    private static List<Region> regions(String sql) {
        List<Region> regions = new ArrayList<>();
        int n = sql.length();
        int codeStart = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            boolean afterIdentifier = i > 0 && isIdentifierPart(sql.charAt(i - 1));
            int end = -1;
            Kind kind = Kind.QUOTED;
            if (c == '-' && next == '-') {
                kind = Kind.COMMENT;
                int newline = sql.indexOf('\n', i);
                end = newline < 0 ? n : newline;
            } else if (c == '/' && next == '*') {
                kind = Kind.COMMENT;
                end = blockCommentEnd(sql, i);
            } else if (c == '\'') {
                end = quotedEnd(sql, i, '\'', afterIdentifier && isEscapePrefix(sql, i));
            } else if (c == '"') {
                end = quotedEnd(sql, i, '"', false);
            } else if (c == '$' && !afterIdentifier) {
                end = dollarQuotedEnd(sql, i);
            }
            if (end < 0) {
                i++;
                continue;
            }
            if (codeStart < i) {
                regions.add(new Region(Kind.CODE, codeStart, i));
            }
            regions.add(new Region(kind, i, end));
            i = end;
            codeStart = end;
        }
        if (codeStart < n) {
            regions.add(new Region(Kind.CODE, codeStart, n));
        }
        return regions;
    }

    /** True when the quote at {@code quote} opens an escape string: {@code E'} not inside a longer word. */
    private static boolean isEscapePrefix(String sql, int quote) {
        char prefix = sql.charAt(quote - 1);
        return (prefix == 'E' || prefix == 'e') && (quote < 2 || !isIdentifierPart(sql.charAt(quote - 2)));
    }

    private static int quotedEnd(String sql, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static int blockCommentEnd(String sql, int open) {
        int depth = 0;
        int i = open;
        while (i < sql.length() - 1) {
            if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** The end of a {@code $tag$...$tag$} string starting at {@code open}, or -1 if none starts there. */
    private static int dollarQuotedEnd(String sql, int open) {
        int i = open + 1;
        if (i < sql.length() && isIdentifierStart(sql.charAt(i))) {
            while (i < sql.length() && isIdentifierPart(sql.charAt(i)) && sql.charAt(i) != '$') {
                i++;
            }
        }
        if (i >= sql.length() || sql.charAt(i) != '$') {
            return -1; // $1 (a positional parameter) or a lone $
        }
        String tag = sql.substring(open, i + 1);
        int close = sql.indexOf(tag, i + 1);
        return close < 0 ? sql.length() : close + tag.length();
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
