package redress.intake.letter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import redress.events.Actor;
import redress.events.InteractionKind;
import redress.events.ResponseRequirements;
import redress.intake.complaint.ProfileNames;
import redress.intake.interaction.Interactions;
import redress.support.identity.Callers;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Letter templates, per regulatory profile and language, versioned: a version is never changed, a
 * rules-admin publishes the next. A template is tried before it is stored: it must parse as Qute,
 * render with sample data, give well-formed XHTML and a PDF, and declare every statement its
 * profile requires of a final response ({@link ResponseRequirements}); otherwise 422 and nothing is
 * written. The first start seeds UK_FCA_DISP/en (DISP 1 Annex 3R's wording) and AU_ASIC_RG271/en
 * (AFCA's details, RG 271) from {@code letters/}.
 */
@ApplicationScoped
public class LetterTemplates {

    private static final Logger LOG = Logger.getLogger(LetterTemplates.class);

    /** The seeded templates: profile, language, zone of their dates. */
    private record Seed(String profile, String language, String timeZone) {}

    private static final List<Seed> SEEDS = List.of(
            new Seed("UK_FCA_DISP", "en", "Europe/London"), new Seed("AU_ASIC_RG271", "en", "Australia/Sydney"));

    private final LetterRenderer renderer;
    private final ProfileNames profiles;
    private final Callers callers;
    private final Clock clock;

    public LetterTemplates(LetterRenderer renderer, ProfileNames profiles, Callers callers, Clock clock) {
        this.renderer = renderer;
        this.profiles = profiles;
        this.callers = callers;
        this.clock = clock;
    }

    @Transactional
    void seed(@Observes StartupEvent start) {
        lockTemplates();
        for (Seed s : SEEDS) {
            if (LetterTemplate.current(s.profile(), s.language()).isPresent()) {
                continue;
            }
            String body;
            try (InputStream in = LetterTemplates.class.getResourceAsStream(
                    "/letters/" + s.profile() + "." + s.language() + ".html")) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("the letter template seed cannot be read", e);
            }
            List<String> elements = ResponseRequirements.required(s.profile(), InteractionKind.FINAL_RESPONSE).stream()
                    .map(ResponseRequirements.Element::code)
                    .toList();
            store(
                    s.profile(),
                    s.language(),
                    new PublishLetterTemplate(body, elements, s.timeZone(), "seed"),
                    callers.system());
            LOG.infof("letter template %s/%s version 1 seeded", s.profile(), s.language());
        }
    }

    /** The newest version of every template, by profile and language. */
    @Transactional
    public List<LetterTemplate> currentOfEach() {
        return LetterTemplate.list(
                "from LetterTemplate t where t.version = (select max(u.version) from LetterTemplate u "
                        + "where u.profile = t.profile and u.language = t.language) order by t.profile, t.language");
    }

    /** The template in force for a profile and language, if any. */
    @Transactional
    public Optional<LetterTemplate> current(String profile, String language) {
        return LetterTemplate.current(profile, language);
    }

    /** Stores the next version of the profile's template in that language; 4xx and nothing written when it is not usable. */
    @Transactional
    public LetterTemplate publish(String profile, String language, PublishLetterTemplate body, Actor actor) {
        String p = profiles.require(profile);
        String lang = language(language);
        check(p, lang, body);
        lockTemplates();
        return store(p, lang, body, actor);
    }

    private LetterTemplate store(String profile, String language, PublishLetterTemplate body, Actor actor) {
        check(profile, language, body);
        Optional<LetterTemplate> latest = LetterTemplate.current(profile, language);
        LetterTemplate t = new LetterTemplate();
        t.id = UUID.randomUUID();
        t.profile = profile;
        t.language = language;
        t.version = latest.map(l -> l.version + 1).orElse(1);
        t.body = body.body();
        t.elements = Interactions.elementCodes(body.elements()).toArray(String[]::new);
        t.timeZone = zone(body.timeZone()).getId();
        t.reason = body.reason().trim();
        t.createdBy = actor.id();
        t.createdAt = Clocks.now(clock);
        t.persist();
        return t;
    }

    /** A language tag as letters are asked for: {@code en}, {@code en-GB}; 400 otherwise. */
    static String language(String tag) {
        if (tag == null || !tag.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
            throw ProblemException.invalidField("language", "must be a language tag such as en or en-GB");
        }
        return tag;
    }

    /** Tries the template as a letter would use it; each failure a 4xx naming what is wrong. */
    private void check(String profile, String language, PublishLetterTemplate body) {
        Interactions.checkRequiredElements(
                profile,
                InteractionKind.FINAL_RESPONSE,
                Interactions.elementCodes(body.elements()),
                "A final response letter");
        ZoneId zone = zone(body.timeZone());
        Instant now = Clocks.now(clock);
        String html = renderer.html(
                renderer.parse(body.body()), LetterData.sample(now).model(LetterData.SAMPLE_CUSTOMER, language, zone));
        renderer.pdf(html, now);
    }

    private static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw ProblemException.invalidField("timeZone", "must be a time zone id such as Europe/London");
        }
    }

    /** One publisher at a time (across replicas): versions are numbered without gaps or races. */
    private static void lockTemplates() {
        LetterTemplate.getEntityManager()
                .createNativeQuery("LOCK TABLE letter_template IN SHARE ROW EXCLUSIVE MODE")
                .executeUpdate();
    }
}
