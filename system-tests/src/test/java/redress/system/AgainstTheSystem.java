package redress.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class run against the four built services, started once for the class and stopped after it. */
abstract class AgainstTheSystem {

    static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }
}
