package redress.intake.taxonomy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import redress.events.Actor;
import redress.events.payload.TaxonomyChanged;
import redress.events.payload.TaxonomyChanged.ProductGroup;
import redress.events.payload.TaxonomyChanged.RootCause;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * The complaint taxonomy's versions: the current one (what resolutions and reclassifications are
 * checked against), any earlier one, and publishing the next. Version 1 is seeded at the first
 * start from {@code taxonomy/seed.json}; every version, the seed included, is announced by a
 * {@code redress.taxonomy.changed} event written in the transaction that stores it.
 */
@ApplicationScoped
public class Taxonomies {

    private static final Logger LOG = Logger.getLogger(Taxonomies.class);

    /** The document stored per version and carried by its event. */
    record Document(List<ProductGroup> productGroups, List<RootCause> rootCauses) {}

    private final EventEmitter events;
    private final Callers callers;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<Integer, Taxonomy> parsed = new ConcurrentHashMap<>();

    public Taxonomies(EventEmitter events, Callers callers, ObjectMapper json, Clock clock) {
        this.events = events;
        this.callers = callers;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    void seed(@Observes StartupEvent start) {
        lockVersions();
        if (TaxonomyVersion.count() > 0) {
            return;
        }
        try (InputStream in = Taxonomies.class.getResourceAsStream("/taxonomy/seed.json")) {
            PublishTaxonomy seed = json.readValue(in, PublishTaxonomy.class);
            store(seed, callers.system());
            LOG.infof(
                    "complaint taxonomy version 1 seeded: %d product groups, %d root causes",
                    seed.productGroups().size(), seed.rootCauses().size());
        } catch (IOException e) {
            throw new UncheckedIOException("the taxonomy seed cannot be read", e);
        }
    }

    /** The version in force. */
    @Transactional
    public Taxonomy current() {
        Integer latest = TaxonomyVersion.getEntityManager()
                .createQuery("select max(t.version) from TaxonomyVersion t", Integer.class)
                .getSingleResult();
        if (latest == null) {
            throw new IllegalStateException("no taxonomy version: the seed did not run");
        }
        return version(latest);
    }

    /** A version, current or earlier; 404 when there is none of that number. */
    @Transactional
    public Taxonomy version(int version) {
        Taxonomy known = parsed.get(version);
        if (known != null) {
            return known;
        }
        TaxonomyVersion row = TaxonomyVersion.findById(version);
        if (row == null) {
            throw ProblemException.notFound("Taxonomy version", version);
        }
        Taxonomy t = parse(row);
        parsed.put(version, t);
        return t;
    }

    /** Every version, newest first, without their lists. */
    @Transactional
    public List<TaxonomyVersion> versions() {
        return TaxonomyVersion.list("order by version desc");
    }

    /** Stores the next version and announces it; 422 when a code repeats or a row is not the FCA return's. */
    @Transactional
    public Taxonomy publish(PublishTaxonomy body, Actor actor) {
        lockVersions();
        return store(body, actor);
    }

    private Taxonomy store(PublishTaxonomy body, Actor actor) {
        check(body);
        Integer latest = TaxonomyVersion.getEntityManager()
                .createQuery("select max(t.version) from TaxonomyVersion t", Integer.class)
                .getSingleResult();
        int version = latest == null ? 1 : latest + 1;
        Instant now = Clocks.now(clock);
        Document doc = new Document(
                body.productGroups().stream()
                        .map(g -> new ProductGroup(g.code(), g.label().trim(), g.fcaProductGroup(), g.asicProduct()))
                        .toList(),
                body.rootCauses().stream()
                        .map(c -> new RootCause(c.code(), c.label().trim(), c.asicIssue()))
                        .toList());
        TaxonomyVersion row = new TaxonomyVersion();
        row.version = version;
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
                new TaxonomyChanged(
                        null, null, version, latest, doc.productGroups(), doc.rootCauses(), row.reason, now),
                null);
        return parse(row);
    }

    private static void check(PublishTaxonomy body) {
        unique("productGroups", body.productGroups(), PublishTaxonomy.Group::code);
        unique("rootCauses", body.rootCauses(), PublishTaxonomy.Cause::code);
        for (PublishTaxonomy.Group g : body.productGroups()) {
            if (!Taxonomy.FCA_PRODUCT_GROUPS.contains(g.fcaProductGroup())) {
                throw ProblemException.unprocessable(
                        "unknown-fca-product-group",
                        "product group " + g.code() + ": fcaProductGroup " + g.fcaProductGroup() + " is not one of "
                                + String.join(", ", Taxonomy.FCA_PRODUCT_GROUPS));
            }
        }
    }

    private static <T> void unique(String list, List<T> items, Function<T, String> code) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(code.apply(item))) {
                throw ProblemException.unprocessable(
                        "duplicate-taxonomy-code", list + " holds the code " + code.apply(item) + " more than once");
            }
        }
    }

    /** One publisher at a time (across replicas): versions are numbered without gaps or races. */
    private static void lockVersions() {
        TaxonomyVersion.getEntityManager()
                .createNativeQuery("LOCK TABLE taxonomy_version IN SHARE ROW EXCLUSIVE MODE")
                .executeUpdate();
    }

    private Taxonomy parse(TaxonomyVersion row) {
        try {
            Document doc = json.readValue(row.document, Document.class);
            return new Taxonomy(
                    row.version, doc.productGroups(), doc.rootCauses(), row.reason, row.createdBy, row.createdAt);
        } catch (IOException e) {
            throw new UncheckedIOException("taxonomy version " + row.version + " cannot be read", e);
        }
    }

    /** The product group of the current taxonomy with this code; 422 naming the known ones otherwise. */
    public static ProductGroup requireProductGroup(Taxonomy t, String code) {
        return t.productGroup(code)
                .orElseThrow(() -> ProblemException.unprocessable(
                        "unknown-product-group",
                        "productGroup " + code + " is not in the complaint taxonomy (version " + t.version()
                                + "); GET /taxonomy lists them"));
    }

    /** The root cause of the current taxonomy with this code; 422 otherwise. */
    public static RootCause requireRootCause(Taxonomy t, String code) {
        return t.rootCause(code)
                .orElseThrow(() -> ProblemException.unprocessable(
                        "unknown-root-cause",
                        "rootCause " + code + " is not in the complaint taxonomy (version " + t.version()
                                + "); GET /taxonomy lists them"));
    }
}
