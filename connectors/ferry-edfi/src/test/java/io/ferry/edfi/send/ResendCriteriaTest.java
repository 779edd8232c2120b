package io.ferry.edfi.send;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.edfi.state.SentRecord;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResendCriteriaTest {
    private static final SentRecord SENT_AT_1000_WITH_409 = new SentRecord(1000, 409);

    @Test
    void anyOfForceOlderNewerOrStatusSelectsAPayloadAlreadyAnswered() {
        assertFalse(ResendCriteria.none().selects(SENT_AT_1000_WITH_409));
        assertTrue(new ResendCriteria(true, null, null, Set.of()).selects(SENT_AT_1000_WITH_409));
        assertTrue(
                new ResendCriteria(false, Instant.ofEpochSecond(1001), null, Set.of()).selects(SENT_AT_1000_WITH_409));
        assertFalse(
                new ResendCriteria(false, Instant.ofEpochSecond(1000), null, Set.of()).selects(SENT_AT_1000_WITH_409));
        assertTrue(
                new ResendCriteria(false, null, Instant.ofEpochSecond(999), Set.of()).selects(SENT_AT_1000_WITH_409));
        assertFalse(
                new ResendCriteria(false, null, Instant.ofEpochSecond(1000), Set.of()).selects(SENT_AT_1000_WITH_409));
        assertTrue(new ResendCriteria(false, null, null, Set.of(500, 409)).selects(SENT_AT_1000_WITH_409));
        assertFalse(new ResendCriteria(false, null, null, Set.of(201)).selects(SENT_AT_1000_WITH_409));
    }
}
