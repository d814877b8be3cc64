package redress.intake.watch;

import java.util.UUID;

/**
 * Body of {@code POST /complaints/{id}/take-over}, optional. {@code escalationId} names the watch
 * taken over; left out, the case's open watch of the highest level the caller may act at.
 */
public record TakeOver(UUID escalationId) {}
