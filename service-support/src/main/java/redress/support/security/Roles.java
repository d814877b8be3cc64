package redress.support.security;

import java.util.List;

/**
 * The roles a caller's token may carry (its {@code groups} claim). docs/security.md has the table
 * of endpoint and role that the security tests read.
 */
public final class Roles {

    /** A system that posts complaints (a CRM, a web form, a contact centre): sees only its own. */
    public static final String SUBMITTER = "complaint-submitter";

    public static final String AGENT = "agent";
    public static final String SUPERVISOR = "supervisor";
    public static final String RULES_ADMIN = "rules-admin";
    public static final String AUDITOR = "auditor";
    public static final String OPERATOR = "operator";

    public static final List<String> ALL = List.of(SUBMITTER, AGENT, SUPERVISOR, RULES_ADMIN, AUDITOR, OPERATOR);

    private Roles() {}
}
