package redress.intake.review;

import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /complaints/{id}/review}: what went well and what could have been handled
 * better (at least one not blank), and optionally a root cause code of the current complaint
 * taxonomy.
 */
public record ReviewCase(
        @Size(max = 2000) String wentWell,
        @Size(max = 2000) String couldBeBetter,
        @Size(max = 100) String rootCause) {}
