package redress.support.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class HqlTest {

    @Test
    void writesTheValuesAsLiteralsInTheirOrder() {
        assertEquals("state in ('PENDING', 'DUE')", Hql.in("state", List.of("PENDING", "DUE")));
        assertEquals("token in ('first-outbound')", Hql.in("token", List.of("first-outbound")));
    }

    @Test
    void refusesWhatWouldNeedEscapingAndAnEmptySet() {
        assertThrows(IllegalArgumentException.class, () -> Hql.in("state", List.of("PENDING", "x') or ('1' = '1")));
        assertThrows(IllegalArgumentException.class, () -> Hql.in("state", List.of("")));
        assertThrows(IllegalArgumentException.class, () -> Hql.in("state", List.of()));
    }
}
