package io.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test
    void findsPlaceholdersInCodeButNotInCastsQuotesOrComments() {
        String sql = """
                SELECT id::text, ':not_a' AS "col:umn", $$ :dollar $$, $tag$ :tagged $tag$, E'it\\'s :esc'
                FROM t -- :comment
                /* :block /* :nested */ :still */
                WHERE updated_at < :export_boundary AND kind = :kind AND f(a := 1) AND x = :export_boundary""";
        assertEquals(
                List.of("export_boundary", "kind", "export_boundary"),
                SqlText.placeholders(sql).stream()
                        .map(SqlText.Placeholder::name)
                        .toList());
    }

    @Test
    void rendersValuesAsQuotedLiteralsThatCannotEscapeTheirQuotes() {
        String sql = "SELECT * FROM t WHERE a = :v AND b::date < :v";
        assertEquals(
                "SELECT * FROM t WHERE a = 'x''); DROP TABLE t; --\\' AND b::date < 'x''); DROP TABLE t; --\\'",
                SqlText.render(sql, Map.of("v", "x'); DROP TABLE t; --\\"), true));
        assertEquals("E'a\\\\b''c'", SqlText.literal("a\\b'c", false));
        assertThrows(IllegalArgumentException.class, () -> SqlText.literal("a\0b", true));
    }

    @Test
    void extractsTheQueryOfACopyToStdout() {
        assertEquals(
                Optional.of("SELECT ')' AS p FROM t WHERE (a)"),
                SqlText.copyQuery("-- archive\nCOPY ( SELECT ')' AS p FROM t WHERE (a) ) TO STDOUT WITH CSV HEADER;"));
        assertEquals(Optional.empty(), SqlText.copyQuery("COPY t TO STDOUT"));
        assertEquals(Optional.empty(), SqlText.copyQuery("COPY (SELECT 1) TO '/tmp/x.csv'"));
        assertEquals(Optional.empty(), SqlText.copyQuery("SELECT 1"));
    }

    @Test
    void recognisesADeleteReturningInsideCopy() {
        String query = SqlText.copyQuery("COPY (/* x */ DELETE FROM t RETURNING *) TO STDOUT WITH CSV HEADER")
                .orElseThrow();
        assertEquals("DELETE", SqlText.firstKeyword(query));
        assertEquals("SELECT", SqlText.firstKeyword("  (SELECT 1)"));
    }
}
