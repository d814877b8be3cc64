package redress.intake.coaching;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import redress.events.Actor;
import redress.events.CustomerTone;
import redress.events.payload.CoachingLexiconChanged;
import redress.events.payload.CoachingLexiconChanged.DeEscalation;
import redress.events.payload.CoachingLexiconChanged.Entry;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * The language coaching lexicon's versions: the current one (what outbound texts are checked
 * against), any earlier one, and publishing the next. Version 1 is seeded at the first start from
 * {@code coaching/seed.json}; every version, the seed included, is announced by a
 * {@code redress.coaching.lexicon-changed} event written in the transaction that stores it.
 */
@ApplicationScoped
public class Lexicons {

    private static final Logger LOG = Logger.getLogger(Lexicons.class);

    /** The tones a de-escalation may name: the customer tones, by name. */
    static final Set<String> TONES =
            Arrays.stream(CustomerTone.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    /** The document stored per version. */
    record Document(List<Entry> entries, List<String> negations, DeEscalation deEscalation) {}

    /** A version with its compiled matcher. */
    public record Compiled(Lexicon lexicon, LexiconMatcher matcher) {}

    private final EventEmitter events;
    private final Callers callers;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<Integer, Compiled> compiled = new ConcurrentHashMap<>();

    public Lexicons(EventEmitter events, Callers callers, ObjectMapper json, Clock clock) {
        this.events = events;
        this.callers = callers;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    void seed(@Observes StartupEvent start) {
        lockVersions();
        if (LexiconVersion.count() > 0) {
            return;
        }
        try (InputStream in = Lexicons.class.getResourceAsStream("/coaching/seed.json")) {
            PublishLexicon seed = json.readValue(in, PublishLexicon.class);
            store(seed, callers.system());
            LOG.infof(
                    "coaching lexicon version 1 seeded: %d entries",
                    seed.entries().size());
        } catch (IOException e) {
            throw new UncheckedIOException("the coaching lexicon seed cannot be read", e);
        }
    }

    /** The version in force, compiled. */
    @Transactional
    public Compiled current() {
        Integer latest = latest();
        if (latest == null) {
            throw new IllegalStateException("no coaching lexicon version: the seed did not run");
        }
        return compiled(latest);
    }

    /** A version, current or earlier; 404 when there is none of that number. */
    @Transactional
    public Compiled compiled(int version) {
        Compiled known = compiled.get(version);
        if (known != null) {
            return known;
        }
        LexiconVersion row = LexiconVersion.findById(version);
        if (row == null) {
            throw ProblemException.notFound("Coaching lexicon version", version);
        }
        Compiled c = compile(parse(row));
        compiled.put(version, c);
        return c;
    }

    /** Every version, newest first, without their entries. */
    @Transactional
    public List<LexiconVersion> versions() {
        return LexiconVersion.list("order by version desc");
    }

    /** Stores the next version and announces it; 400 or 422 (nothing stored) when it does not hold. */
    @Transactional
    public Lexicon publish(PublishLexicon body, Actor actor) {
        lockVersions();
        return store(body, actor);
    }

    /** A candidate checked and compiled as a publication would be, stored nowhere (a dry-run's). */
    public static Compiled candidate(PublishLexicon body) {
        check(body);
        Document doc = document(body);
        return compile(
                new Lexicon(0, body.language(), doc.entries(), doc.negations(), doc.deEscalation(), null, null, null));
    }

    private Lexicon store(PublishLexicon body, Actor actor) {
        check(body);
        Integer latest = latest();
        int version = latest == null ? 1 : latest + 1;
        Instant now = Clocks.now(clock);
        Document doc = document(body);
        LexiconVersion row = new LexiconVersion();
        row.version = version;
        row.language = body.language();
        row.reason = body.reason().trim();
        row.createdBy = actor.id();
        row.createdAt = now;
        try {
            row.document = json.writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        row.persist();
        events.emit(
                actor,
                null,
                new CoachingLexiconChanged(
                        null,
                        null,
                        version,
                        latest,
                        row.language,
                        doc.entries(),
                        doc.negations(),
                        doc.deEscalation(),
                        row.reason,
                        now),
                null);
        return parse(row);
    }

    /** The entries as stored and sent: phrases trimmed; a kind's fields only. */
    private static Document document(PublishLexicon body) {
        List<Entry> entries = body.entries().stream()
                .map(e -> {
                    boolean substitution = e.kind() == PublishLexicon.Kind.SUBSTITUTION;
                    Map<String, String> swap = null;
                    if (substitution) {
                        swap = new LinkedHashMap<>();
                        for (Map.Entry<String, String> s : e.swap().entrySet()) {
                            swap.put(s.getKey().trim(), s.getValue().trim());
                        }
                    }
                    return new Entry(
                            e.id(),
                            e.kind().name(),
                            e.category(),
                            substitution ? null : trimmed(e.tokens()),
                            swap,
                            blankToNull(e.suggestion()),
                            e.exceptions() == null || e.exceptions().isEmpty() ? null : trimmed(e.exceptions()),
                            e.negationWindow(),
                            e.max());
                })
                .toList();
        List<String> negations = body.negations() == null ? List.of() : trimmed(body.negations());
        DeEscalation de = new DeEscalation(
                List.copyOf(body.deEscalation().tones()),
                trimmed(body.deEscalation().suggestions()));
        return new Document(entries, negations, de);
    }

    private static List<String> trimmed(List<String> phrases) {
        return phrases.stream().map(String::trim).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** What Bean Validation cannot say: each kind's fields, unique ids, phrases that can match. */
    static void check(PublishLexicon body) {
        Set<String> ids = new HashSet<>();
        boolean negations = body.negations() != null && !body.negations().isEmpty();
        if (negations) {
            phrases("negations", body.negations());
        }
        for (int n = 0; n < body.entries().size(); n++) {
            PublishLexicon.Entry e = body.entries().get(n);
            String at = "entries[" + n + "]";
            if (!ids.add(e.id())) {
                throw ProblemException.unprocessable(
                        "duplicate-lexicon-entry", "entries holds the id " + e.id() + " more than once");
            }
            boolean substitution = e.kind() == PublishLexicon.Kind.SUBSTITUTION;
            if (substitution) {
                if (e.swap() == null || e.swap().isEmpty()) {
                    throw ProblemException.invalidField(
                            at + ".swap", "is required for a SUBSTITUTION entry: each phrase with its replacement");
                }
                absent(at + ".tokens", e.tokens(), "a SUBSTITUTION entry's phrases are the keys of swap");
                phrases(at + ".swap", List.copyOf(e.swap().keySet()));
            } else {
                if (e.tokens() == null || e.tokens().isEmpty()) {
                    throw ProblemException.invalidField(at + ".tokens", "is required for a " + e.kind() + " entry");
                }
                absent(at + ".swap", e.swap(), "only a SUBSTITUTION entry has one");
                if (e.suggestion() == null || e.suggestion().isBlank()) {
                    throw ProblemException.invalidField(
                            at + ".suggestion", "is required for a " + e.kind() + " entry: the alternative to offer");
                }
                phrases(at + ".tokens", e.tokens());
            }
            if (e.kind() == PublishLexicon.Kind.OCCURRENCE) {
                if (e.max() == null) {
                    throw ProblemException.invalidField(
                            at + ".max", "is required for an OCCURRENCE entry: how many are still fine in one text");
                }
            } else {
                absent(at + ".max", e.max(), "only an OCCURRENCE entry has one");
            }
            if (e.negationWindow() != null && !negations) {
                throw ProblemException.invalidField(
                        at + ".negationWindow", "needs the lexicon's negations: the words that turn a phrase round");
            }
            if (e.exceptions() != null) {
                phrases(at + ".exceptions", e.exceptions());
                List<String> own = (substitution ? List.copyOf(e.swap().keySet()) : e.tokens())
                        .stream().map(LexiconMatcher::key).toList();
                for (String x : e.exceptions()) {
                    String k = LexiconMatcher.key(x);
                    if (own.stream().noneMatch(k::contains)) {
                        throw ProblemException.invalidField(
                                at + ".exceptions",
                                "\"" + x.trim()
                                        + "\" contains none of the entry's phrases, so it could never except one");
                    }
                }
            }
        }
        for (String tone : body.deEscalation().tones()) {
            if (!TONES.contains(tone)) {
                throw ProblemException.invalidField(
                        "deEscalation.tones",
                        tone + " is not a customer tone; known are "
                                + String.join(", ", TONES.stream().sorted().toList()));
            }
        }
    }

    private static void absent(String field, Object value, String why) {
        if (value != null) {
            throw ProblemException.invalidField(field, "must be absent: " + why);
        }
    }

    /** Phrases start and end with a letter or digit (they match whole words) and do not repeat. */
    private static void phrases(String field, List<String> phrases) {
        Set<String> seen = new HashSet<>();
        for (String p : phrases) {
            String t = p.trim();
            if (!Character.isLetterOrDigit(t.charAt(0)) || !Character.isLetterOrDigit(t.charAt(t.length() - 1))) {
                throw ProblemException.invalidField(
                        field, "\"" + t + "\" must start and end with a letter or digit: phrases match whole words");
            }
            if (!seen.add(LexiconMatcher.key(t))) {
                throw ProblemException.invalidField(field, "holds \"" + t + "\" more than once");
            }
        }
    }

    private static Compiled compile(Lexicon l) {
        return new Compiled(l, new LexiconMatcher(l.entries(), l.negations()));
    }

    private Integer latest() {
        return LexiconVersion.getEntityManager()
                .createQuery("select max(l.version) from LexiconVersion l", Integer.class)
                .getSingleResult();
    }

    /** One publisher at a time (across replicas): versions are numbered without gaps or races. */
    private static void lockVersions() {
        LexiconVersion.getEntityManager()
                .createNativeQuery("LOCK TABLE coaching_lexicon_version IN SHARE ROW EXCLUSIVE MODE")
                .executeUpdate();
    }

    private Lexicon parse(LexiconVersion row) {
        try {
            Document doc = json.readValue(row.document, Document.class);
            return new Lexicon(
                    row.version,
                    row.language,
                    doc.entries(),
                    doc.negations(),
                    doc.deEscalation(),
                    row.reason,
                    row.createdBy,
                    row.createdAt);
        } catch (IOException e) {
            throw new UncheckedIOException("coaching lexicon version " + row.version + " cannot be read", e);
        }
    }
}
