package redress.intake.letter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import redress.events.Actor;
import redress.events.InteractionKind;
import redress.events.payload.LetterApproved;
import redress.events.payload.LetterDrafted;
import redress.intake.complaint.Complaint;
import redress.intake.customer.CustomerKeys;
import redress.intake.customer.CustomerView;
import redress.intake.interaction.InteractionView;
import redress.intake.interaction.Interactions;
import redress.intake.interaction.RecordInteraction;
import redress.support.outbox.EventEmitter;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Final response letters: drafted from the template of the case's profile (in a language) and the
 * case's data, approved by a supervisor other than the author (four eyes), then sent, which
 * records the {@code FINAL_RESPONSE} interaction with the template's statements and the PDF's
 * SHA-256. Each step is one transaction with its event ({@code letter.drafted},
 * {@code letter.approved}, and the sending's {@code interaction.recorded}); a refused step writes
 * nothing. The letter is rendered again whenever it is read: the customer's name is opened from
 * the sealed customer then, so after an erasure the letter can no longer be read or sent.
 */
@ApplicationScoped
public class Letters {

    /** A letter as the API shows it; {@code html} only when one letter is read, null once the customer is erased. */
    public record LetterView(
            UUID id,
            UUID caseId,
            String profile,
            String language,
            int templateVersion,
            List<String> elements,
            Letter.Status status,
            String documentSha256,
            String draftedBy,
            Instant draftedAt,
            String approvedBy,
            Instant approvedAt,
            String sentBy,
            Instant sentAt,
            UUID interactionId,
            String html) {

        static LetterView of(Letter l, LetterTemplate t, String html) {
            return new LetterView(
                    l.id,
                    l.caseId,
                    t.profile,
                    t.language,
                    t.version,
                    List.of(t.elements),
                    l.status,
                    l.documentSha256,
                    l.draftedBy,
                    l.draftedAt,
                    l.approvedBy,
                    l.approvedAt,
                    l.sentBy,
                    l.sentAt,
                    l.interactionId,
                    html);
        }
    }

    /** A letter rendered: its HTML and its PDF. */
    public record Rendered(String html, byte[] pdf) {}

    private final LetterRenderer renderer;
    private final CustomerKeys keys;
    private final Interactions interactions;
    private final EventEmitter events;
    private final ObjectMapper json;
    private final Clock clock;

    public Letters(
            LetterRenderer renderer,
            CustomerKeys keys,
            Interactions interactions,
            EventEmitter events,
            ObjectMapper json,
            Clock clock) {
        this.renderer = renderer;
        this.keys = keys;
        this.interactions = interactions;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public LetterView draft(UUID caseId, DraftLetter body, Actor actor) {
        String language = LetterTemplates.language(
                body == null || body.language() == null ? "en" : body.language().trim());
        Complaint c = Complaint.lockedForUpdate(caseId);
        c.checkTakesInteractions();
        String profile = c.regulatoryProfile == null ? "DEFAULT" : c.regulatoryProfile;
        LetterTemplate t = LetterTemplate.current(profile, language)
                .orElseThrow(() -> ProblemException.unprocessable(
                        "no-letter-template",
                        "There is no letter template for profile " + profile + " in language " + language
                                + "; GET /letter-templates lists them, a rules-admin publishes one"));
        String customerName = customerName(c);
        Instant now = Clocks.now(clock);
        Complaint.Decision d = c.decision();
        LetterData data = new LetterData(
                c.reference,
                c.receivedAt(),
                c.resolvedAt(),
                c.summary,
                c.resolutionSummary(),
                d.outcome(),
                d.rootCause(),
                d.productGroup(),
                body == null || body.body() == null ? null : body.body().strip(),
                body != null && Boolean.TRUE.equals(body.consentToWaiveTimeLimits()),
                now);
        Rendered r = render(t, data, customerName);

        Letter l = new Letter();
        l.id = UUID.randomUUID();
        l.caseId = c.id;
        l.templateId = t.id;
        l.data = write(data);
        l.documentSha256 = LetterRenderer.sha256Hex(r.pdf());
        l.status = Letter.Status.DRAFTED;
        l.draftedBy = actor.id();
        l.draftedAt = now;
        l.persist();
        events.emit(
                actor,
                c.customerId,
                new LetterDrafted(
                        c.id,
                        c.reference,
                        l.id,
                        t.profile,
                        t.language,
                        t.version,
                        List.of(t.elements),
                        l.documentSha256,
                        now),
                null);
        return LetterView.of(l, t, r.html());
    }

    /** Four eyes: a supervisor other than the author approves a drafted letter, once. */
    @Transactional
    public LetterView approve(UUID caseId, UUID letterId, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        Letter l = Letter.lockedOfCase(caseId, letterId);
        if (l.status != Letter.Status.DRAFTED) {
            throw ProblemException.conflict(
                    "letter-not-drafted",
                    "Letter " + l.id + " is " + l.status + "; only a DRAFTED letter is approved, and only once");
        }
        if (l.draftedBy.equals(actor.id())) {
            throw ProblemException.unprocessable(
                    "four-eyes",
                    "Letter " + l.id + " was drafted by " + l.draftedBy
                            + "; a supervisor other than its author must approve it");
        }
        Instant now = Clocks.now(clock);
        l.status = Letter.Status.APPROVED;
        l.approvedBy = actor.id();
        l.approvedAt = now;
        events.emit(
                actor,
                c.customerId,
                new LetterApproved(c.id, c.reference, l.id, l.draftedBy, l.documentSha256, now),
                null);
        return LetterView.of(l, template(l), null);
    }

    /**
     * Sends an approved letter: records the {@code FINAL_RESPONSE} interaction (through
     * {@link Interactions}, so the profile's required statements are checked as for any response)
     * with the template's statements and the PDF's SHA-256. The letter is rendered again first and
     * must give the document approved.
     */
    @Transactional
    public LetterView send(UUID caseId, UUID letterId, Actor actor) {
        Complaint c = Complaint.lockedForUpdate(caseId);
        Letter l = Letter.lockedOfCase(caseId, letterId);
        if (l.status != Letter.Status.APPROVED) {
            throw ProblemException.conflict(
                    l.status == Letter.Status.SENT ? "letter-already-sent" : "letter-not-approved",
                    "Letter " + l.id + " is " + l.status + "; only an APPROVED letter is sent, and only once");
        }
        LetterTemplate t = template(l);
        Rendered r = render(t, read(l.data), customerName(c));
        String sha = LetterRenderer.sha256Hex(r.pdf());
        if (!sha.equals(l.documentSha256)) {
            throw ProblemException.conflict(
                    "letter-changed",
                    "Letter " + l.id + " no longer renders as the document approved (SHA-256 " + l.documentSha256
                            + "); draft it again");
        }
        InteractionView sent = interactions.record(
                caseId,
                new RecordInteraction(
                        InteractionKind.FINAL_RESPONSE,
                        "Final response letter " + l.id + " (" + t.profile + "/" + t.language + " template version "
                                + t.version + ")",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(t.elements),
                        null),
                actor,
                sha);
        l.status = Letter.Status.SENT;
        l.sentBy = actor.id();
        l.sentAt = sent.occurredAt();
        l.interactionId = sent.id();
        return LetterView.of(l, t, null);
    }

    @Transactional
    public List<LetterView> list(UUID caseId) {
        Complaint.existing(caseId);
        return Letter.ofCase(caseId).stream()
                .map(l -> LetterView.of(l, template(l), null))
                .toList();
    }

    /** One letter with its HTML (null once the customer is erased). */
    @Transactional
    public LetterView get(UUID caseId, UUID letterId) {
        Complaint c = Complaint.existing(caseId);
        Letter l = Letter.ofCase(caseId, letterId);
        LetterTemplate t = template(l);
        CustomerView customer = keys.view(c);
        String html = customer.erased() ? null : html(t, read(l.data), customer.name());
        return LetterView.of(l, t, html);
    }

    /** The letter's PDF, the bytes its {@code documentSha256} is of; 410 once the customer is erased. */
    @Transactional
    public byte[] pdf(UUID caseId, UUID letterId) {
        Complaint c = Complaint.existing(caseId);
        Letter l = Letter.ofCase(caseId, letterId);
        CustomerView customer = keys.view(c);
        if (customer.erased()) {
            throw new ProblemException(Problem.of(
                    410,
                    "customer-erased",
                    "Gone",
                    "The customer of case " + caseId + " was erased; their letters can no longer be rendered"));
        }
        return render(template(l), read(l.data), customer.name()).pdf();
    }

    private String customerName(Complaint c) {
        CustomerView customer = keys.view(c);
        if (customer.erased()) {
            throw ProblemException.conflict(
                    "customer-erased",
                    "The customer of case " + c.id + " was erased: a letter to them cannot be written or sent");
        }
        return customer.name();
    }

    private Rendered render(LetterTemplate t, LetterData data, String customerName) {
        String html = html(t, data, customerName);
        return new Rendered(html, renderer.pdf(html, data.draftedAt()));
    }

    private String html(LetterTemplate t, LetterData data, String customerName) {
        return renderer.html(renderer.parse(t.body), data.model(customerName, t.language, ZoneId.of(t.timeZone)));
    }

    private static LetterTemplate template(Letter l) {
        LetterTemplate t = LetterTemplate.findById(l.templateId);
        if (t == null) {
            throw new IllegalStateException("letter " + l.id + " names template " + l.templateId + ", which is gone");
        }
        return t;
    }

    private String write(LetterData data) {
        try {
            return json.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LetterData read(String data) {
        try {
            return json.readValue(data, LetterData.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a letter's data cannot be read", e);
        }
    }
}
