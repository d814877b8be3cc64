package redress.followup;

import jakarta.inject.Singleton;

import redress.testsupport.MovableClock;

/**
 * The service's clock in tests: replaces the default system clock (it is a bean of type Clock),
 * so a test moves time instead of waiting. Until set, it is the system clock.
 */
@Singleton
public class TestClock extends MovableClock {}
