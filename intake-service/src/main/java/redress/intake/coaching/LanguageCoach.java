package redress.intake.coaching;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import redress.events.CustomerTone;
import redress.events.Direction;
import redress.events.InteractionKind;
import redress.events.ResponseRequirements;
import redress.events.payload.InteractionRecorded.Coaching;
import redress.intake.interaction.Interaction;

/**
 * Checks an agent's outbound text against the lexicon in force (seed 000: "Use Positive Language
 * ... Avoid negative or accusatory language that may exacerbate the conflict"), and offers the
 * lexicon's de-escalation suggestions when the customer's last tone was one of its tones. It only
 * warns and suggests: nothing it finds stops an interaction from being recorded.
 */
@ApplicationScoped
public class LanguageCoach {

    /**
     * The kinds whose text the agent says or writes to the customer, whatever their direction: an
     * outbound contact and the written responses are {@code OUTBOUND}; these have no direction but
     * are spoken to the customer all the same.
     */
    static final Set<InteractionKind> SAID_TO_THE_CUSTOMER = EnumSet.of(
            InteractionKind.ACKNOWLEDGEMENT,
            InteractionKind.APOLOGY,
            InteractionKind.SOLUTION_OFFERED,
            InteractionKind.EXPECTATION_SET,
            InteractionKind.BOUNDARY_WARNING,
            InteractionKind.CONVERSATION_ENDED);

    private final Lexicons lexicons;

    public LanguageCoach(Lexicons lexicons) {
        this.lexicons = lexicons;
    }

    /** Whether a text of this kind and direction is checked: an outbound text of the agent's. */
    public static boolean coaches(InteractionKind kind, Direction direction) {
        return direction == Direction.OUTBOUND
                || ResponseRequirements.RESPONSE_KINDS.contains(kind)
                || SAID_TO_THE_CUSTOMER.contains(kind);
    }

    /**
     * The coaching of a text about to be recorded on a case, or null when it is not an outbound
     * text. The customer's last tone is that of the case's latest contact recorded before it.
     */
    public Coaching coach(UUID caseId, InteractionKind kind, Direction direction, String text) {
        if (!coaches(kind, direction)) {
            return null;
        }
        Lexicons.Compiled lexicon = lexicons.current();
        return coaching(lexicon, text, lastTone(caseId));
    }

    /** What a (current or candidate) lexicon makes of a text after a contact in {@code lastTone}. */
    public static Coaching coaching(Lexicons.Compiled lexicon, String text, String lastTone) {
        Lexicon l = lexicon.lexicon();
        boolean deEscalate = lastTone != null && l.deEscalation().tones().contains(lastTone);
        return new Coaching(
                l.version(),
                l.language(),
                lexicon.matcher().check(text),
                deEscalate ? l.deEscalation().suggestions() : List.of());
    }

    private static String lastTone(UUID caseId) {
        List<CustomerTone> tones = Interaction.getEntityManager()
                .createQuery(
                        "select i.tone from Interaction i where i.complaintId = ?1 and i.kind = ?2 and i.tone is not null"
                                + " order by i.occurredAt desc, i.id desc",
                        CustomerTone.class)
                .setParameter(1, caseId)
                .setParameter(2, InteractionKind.CUSTOMER_CONTACT)
                .setMaxResults(1)
                .getResultList();
        return tones.isEmpty() ? null : tones.get(0).name();
    }
}
