package redress.followup.profile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import redress.followup.TransactionMemo;
import redress.followup.calendar.Calendars;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.time.Clocks;

/**
 * Profiles as versioned data. A version never changes, so each is read from the database once and
 * kept; which version is current is read once per profile and transaction (one primary-key read;
 * a consumed batch reads it once: {@link TransactionMemo}), so a change saved on another replica
 * applies from the next transaction.
 */
@ApplicationScoped
public class Profiles {

    /** A saved version with who saved it and when. */
    public record Saved(ProfileVersion profile, String savedBy, Instant savedAt) {}

    private final EntityManager em;
    private final ObjectMapper mapper;
    private final Calendars calendars;
    private final Clock clock;
    private final TransactionMemo memo;
    private final Map<String, Saved> versions = new ConcurrentHashMap<>();

    /** The key of this transaction's current versions, by profile name, in {@link TransactionMemo}. */
    private static final Object MEMO = new Object();

    public Profiles(EntityManager em, ObjectMapper mapper, Calendars calendars, Clock clock, TransactionMemo memo) {
        this.em = em;
        this.mapper = mapper;
        this.calendars = calendars;
        this.clock = clock;
        this.memo = memo;
    }

    /** The version that applies to a case received now; {@link ProblemException} 404 when there is no such profile. */
    public ProfileVersion current(String name) {
        return currentSaved(name).profile();
    }

    /** One version (a case keeps the one of its receipt); 404 when there is none. */
    public ProfileVersion version(String name, int version) {
        return saved(name, version).profile();
    }

    @ActivateRequestContext
    public Saved currentSaved(String name) {
        Optional<Map<String, Saved>> read = memo.of(MEMO);
        Saved known = read.map(m -> m.get(name)).orElse(null);
        if (known != null) {
            return known;
        }
        Profile p = Profile.findById(name);
        if (p == null) {
            throw ProblemException.notFound("profile", name);
        }
        Saved current = saved(name, p.currentVersion);
        read.ifPresent(m -> m.put(name, current));
        return current;
    }

    @ActivateRequestContext
    public Saved saved(String name, int version) {
        String key = name + "/" + version;
        Saved s = versions.get(key);
        if (s != null) {
            return s;
        }
        StoredProfileVersion v = StoredProfileVersion.find(name, version);
        if (v == null) {
            throw ProblemException.notFound("profile version", key);
        }
        s = new Saved(new ProfileVersion(name, version, read(v.definition)), v.savedBy, v.savedAt);
        versions.put(key, s);
        return s;
    }

    /** Every profile's current version, by name. */
    @ActivateRequestContext
    public List<Saved> all() {
        List<Profile> all = Profile.list("order by name");
        return all.stream().map(p -> saved(p.name, p.currentVersion)).toList();
    }

    /** Every version of a profile, oldest first; 404 when there is no such profile. */
    @ActivateRequestContext
    public List<Saved> versions(String name) {
        List<StoredProfileVersion> all = StoredProfileVersion.of(name);
        if (all.isEmpty()) {
            throw ProblemException.notFound("profile", name);
        }
        return all.stream().map(v -> saved(name, v.version)).toList();
    }

    /**
     * Saves a new version (the first one of a new profile); refuses an invalid definition with 422
     * naming every field at fault, and changes nothing then.
     */
    @Transactional
    public Saved save(String name, ProfileDefinition definition, String actor) {
        if (!name.matches(ProfileChecks.KIND)) {
            throw ProblemException.invalidField("name", "upper-case letters, digits and '_', at most 63");
        }
        List<Problem.FieldError> errors = ProfileChecks.problems(definition, calendars::exists);
        if (!errors.isEmpty()) {
            String detail = errors.stream()
                    .map(e -> e.field() + ": " + e.message())
                    .reduce((a, b) -> a + "; " + b)
                    .orElseThrow();
            Problem p = Problem.of(422, "invalid-profile", "Invalid profile", detail);
            throw new ProblemException(new Problem(p.type(), p.title(), 422, detail, null, errors, null));
        }
        em.createNativeQuery("INSERT INTO profile (name, current_version) VALUES (?1, 0) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, name)
                .executeUpdate();
        Profile p = em.find(Profile.class, name, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(p);
        p.currentVersion++;
        memo.forget(MEMO, name);
        StoredProfileVersion v = new StoredProfileVersion();
        v.name = name;
        v.version = p.currentVersion;
        v.definition = write(definition);
        v.savedBy = actor;
        v.savedAt = Clocks.now(clock);
        v.persist();
        return new Saved(new ProfileVersion(name, v.version, read(v.definition)), v.savedBy, v.savedAt);
    }

    /** The definition as stored (JSON, Jackson's record mapping). */
    public String write(ProfileDefinition d) {
        try {
            return mapper.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("profile definition does not serialise", e);
        }
    }

    public ProfileDefinition read(String json) {
        try {
            return mapper.readValue(json, ProfileDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a stored profile definition does not read back: " + e.getOriginalMessage(), e);
        }
    }
}
