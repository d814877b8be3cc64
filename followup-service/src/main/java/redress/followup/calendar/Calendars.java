package redress.followup.calendar;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import redress.followup.TransactionMemo;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;

/**
 * The business calendars, as stored, built into {@link BusinessCalendar}s. A built calendar is
 * cached with its revision and reused while the stored revision is the same: one primary-key read
 * per calendar and transaction (a consumed batch computes many due times on one calendar, and
 * reads its revision once: {@link TransactionMemo}), so a change made by another replica is seen
 * by the next transaction. Every change fires {@link CalendarChanged} inside its transaction, and
 * what that transaction had read of the calendar is forgotten first.
 * <p>
 * A change and a transaction that computes due times on a calendar do not overlap: the change
 * takes a transaction-level advisory lock alone, and every such transaction shares it
 * ({@link #holdSteady}) before it reads a calendar or locks a row. Otherwise a consumer batch that
 * read the revision before the change committed would commit its deadlines after the change had
 * recomputed every pending one, and they would keep the due times of the calendar as it was. A
 * change tries for the lock before it queues for it, and queues for a bounded time
 * ({@link #lockForChange}), so that batches wait behind a change that is itself waiting only
 * briefly.
 */
@ApplicationScoped
public class Calendars {

    private record Cached(long revision, BusinessCalendar calendar) {}

    @ConfigMapping(prefix = "redress.followup.calendar")
    public interface CalendarConfig {
        /** How long a change tries for the calendars' lock before it is refused with 503. */
        @WithDefault("10s")
        Duration changeWait();

        /**
         * How often holiday changes that migrations made are tried again after an attempt failed
         * ({@link PendingHolidayChanges}).
         */
        @WithDefault("30s")
        Duration pendingRetry();

        /** How often each calendar's holiday horizon is read ({@link CalendarHorizons}). */
        @WithDefault("1h")
        Duration horizonCheck();

        /** A calendar whose holidays are known fewer days ahead than this is logged as a warning. */
        @WithDefault("P180D")
        Duration holidaysWarning();
    }

    /** What an import did: holidays added, and those whose date the region already had (left as they were). */
    public record Imported(String calendar, String region, int added, int alreadyPresent) {}

    /** A holiday to import: a date and its name. */
    public record NewHoliday(LocalDate day, String name) {}

    /** The key of this transaction's calendars, by name, in {@link TransactionMemo}. */
    private static final Object MEMO = new Object();

    /** The key under which {@link TransactionMemo} notes that this transaction holds the lock. */
    private static final Object HELD = new Object();

    /**
     * The name whose hash keys the advisory lock, in the two-integer form: a key space apart from the
     * outbox's one-bigint keys.
     */
    private static final String LOCK = "redress.calendars";

    /** PostgreSQL's SQLState for a lock not had within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final EntityManager em;
    private final Event<CalendarChanged> changed;
    private final TransactionMemo memo;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** How long a change tries for the lock before it is refused (503): see {@link #lockForChange}. */
    private final Duration changeWait;

    public Calendars(EntityManager em, Event<CalendarChanged> changed, TransactionMemo memo, CalendarConfig config) {
        this.em = em;
        this.changed = changed;
        this.memo = memo;
        this.changeWait = config.changeWait();
    }

    /** The calendar of this name; a {@link ProblemException} 404 when there is none. */
    public BusinessCalendar get(String name) {
        return find(name).orElseThrow(() -> ProblemException.notFound("calendar", name));
    }

    /**
     * The calendar of this name, if there is one (current as of this transaction's first look at it,
     * a change in it included).
     */
    @ActivateRequestContext
    public Optional<BusinessCalendar> find(String name) {
        Optional<Map<String, Optional<BusinessCalendar>>> read = memo.of(MEMO);
        Optional<BusinessCalendar> known = read.map(m -> m.get(name)).orElse(null);
        if (known != null) {
            return known;
        }
        Optional<BusinessCalendar> found = read(name);
        read.ifPresent(m -> m.put(name, found));
        return found;
    }

    /**
     * Holds every calendar as it is until this transaction ends: the lock a change takes alone,
     * shared (once a transaction; nothing outside one). A transaction that will compute due times
     * takes it before it locks any row, so that it never waits for a change while holding a row
     * the change will update; a change has the lock only when no such transaction is running, and
     * they wait for it to end.
     */
    public void holdSteady() {
        Optional<Map<Object, Boolean>> held = memo.of(HELD);
        if (held.isPresent() && held.get().putIfAbsent(HELD, Boolean.TRUE) == null) {
            lockShared();
        }
    }

    /**
     * Takes the lock of {@link #holdSteady} alone: every transaction computing on a calendar has
     * ended. A change waiting in the lock's queue holds up every batch that asks for the lock after
     * it, so a batch held open (a paused replica) would stall every replica's consumers and waker
     * for as long. So the lock is first tried, every 20 ms, for half of {@code change-wait}, which
     * holds up nobody; only then, so that batches that keep overlapping cannot starve the change,
     * does the change queue for it, for the other half at most ({@code lock_timeout}). Past that
     * it is refused with 503, the change not made. Before the change's first statement, so
     * nothing else is held meanwhile.
     */
    private void lockForChange() {
        Duration half = changeWait.dividedBy(2);
        long deadline = System.nanoTime() + half.toNanos();
        boolean locked = tryLock();
        while (!locked && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to change a calendar", e);
            }
            locked = tryLock();
        }
        if (!locked && !lockWithin(half)) {
            throw new ProblemException(Problem.of(
                    503,
                    "calendar-busy",
                    "Calendars busy",
                    "due times were being computed on the calendars for all of " + changeWait
                            + "; the change was not made: retry shortly"));
        }
        memo.<Object, Boolean>of(HELD).ifPresent(m -> m.put(HELD, Boolean.TRUE));
    }

    private boolean tryLock() {
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement s = lockCall(c, "pg_try_advisory_xact_lock")) {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getBoolean(1);
                }
            }
        });
    }

    /** Waits for the lock alone, at most {@code wait}; false when that passed (the transaction is then aborted). */
    private boolean lockWithin(Duration wait) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '" + Math.max(1, wait.toMillis()) + "ms'");
            }
            try (PreparedStatement s = lockCall(c, "pg_advisory_xact_lock")) {
                s.executeQuery().close();
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout TO DEFAULT");
            }
            return true;
        });
    }

    /** A call of PostgreSQL's advisory lock function {@code function} on the calendars' key. */
    private static PreparedStatement lockCall(Connection c, String function) throws SQLException {
        PreparedStatement s = c.prepareStatement("SELECT " + function + "(hashtext(?), 0)");
        s.setString(1, LOCK);
        return s;
    }

    /** Takes the lock shared, waiting while a change holds it. */
    private void lockShared() {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement s = lockCall(c, "pg_advisory_xact_lock_shared")) {
                s.executeQuery().close();
            }
        });
    }

    /** The calendar as stored now: its revision read, built again only when that changed. */
    private Optional<BusinessCalendar> read(String name) {
        holdSteady();
        List<Long> revision = em.createQuery("select c.revision from StoredCalendar c where c.name = :name", Long.class)
                .setParameter("name", name)
                .getResultList();
        if (revision.isEmpty()) {
            cache.remove(name);
            return Optional.empty();
        }
        Cached c = cache.get(name);
        if (c != null && c.revision() == revision.get(0)) {
            return Optional.of(c.calendar());
        }
        StoredCalendar stored = StoredCalendar.findById(name);
        if (stored == null) {
            return Optional.empty();
        }
        BusinessCalendar built = build(stored);
        cache.put(name, new Cached(revision.get(0), built));
        return Optional.of(built);
    }

    @ActivateRequestContext
    public boolean exists(String name) {
        return StoredCalendar.findById(name) != null;
    }

    /** Every calendar, by name. */
    @ActivateRequestContext
    public List<StoredCalendar> stored() {
        return StoredCalendar.list("order by name");
    }

    /** A stored calendar; 404 when unknown. */
    @ActivateRequestContext
    public StoredCalendar stored(String name) {
        StoredCalendar c = StoredCalendar.findById(name);
        if (c == null) {
            throw ProblemException.notFound("calendar", name);
        }
        return c;
    }

    /**
     * Every holiday a calendar of this region is closed on, by date: the region's own and those of
     * the regions it includes (at any depth); where two have the same date, the region's own, else
     * the first included region's by name.
     */
    @ActivateRequestContext
    public List<Holiday> holidays(String region) {
        List<String> regions = closure(region);
        Map<LocalDate, Holiday> byDay = new TreeMap<>();
        List<Holiday> all = Holiday.list("region in ?1 order by day, region", regions);
        all.stream().filter(h -> h.region.equals(region)).forEach(h -> byDay.put(h.day, h));
        all.forEach(h -> byDay.putIfAbsent(h.day, h));
        return List.copyOf(byDay.values());
    }

    /** The regions this region includes directly, by name. */
    @ActivateRequestContext
    public List<String> includes(String region) {
        return regions("SELECT includes FROM holiday_region_include WHERE region = ?1 ORDER BY includes", region);
    }

    /** The region and every region it includes, at any depth (a cycle ends where it closes). */
    private List<String> closure(String region) {
        return regions(
                "WITH RECURSIVE r(region) AS (SELECT CAST(?1 AS text)"
                        + " UNION SELECT i.includes FROM holiday_region_include i JOIN r ON i.region = r.region)"
                        + " SELECT region FROM r ORDER BY region",
                region);
    }

    /** The region and every region that includes it, at any depth: whose calendars its holidays close. */
    private List<String> includedBy(String region) {
        return regions(
                "WITH RECURSIVE r(region) AS (SELECT CAST(?1 AS text)"
                        + " UNION SELECT i.region FROM holiday_region_include i JOIN r ON i.includes = r.region)"
                        + " SELECT region FROM r ORDER BY region",
                region);
    }

    /** The region names a query answers, given the region as its one parameter. */
    private List<String> regions(String sql, String region) {
        @SuppressWarnings("unchecked")
        List<String> r = em.createNativeQuery(sql).setParameter(1, region).getResultList();
        return r;
    }

    /**
     * Creates or replaces a calendar's zone, region and hours (the hours wholly: a weekday left out
     * is closed).
     *
     * @param region its holiday region; null keeps the current one (a new calendar: its own name)
     * @return true when the calendar was created
     */
    @Transactional
    public boolean put(String name, ZoneId zone, String region, Map<DayOfWeek, BusinessCalendar.WorkingDay> hours) {
        lockForChange();
        int inserted = em.createNativeQuery("INSERT INTO calendar (name, zone, region, revision)"
                        + " VALUES (?1, ?2, ?3, nextval('calendar_revision')) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, name)
                .setParameter(2, zone.getId())
                .setParameter(3, region == null ? name : region)
                .executeUpdate();
        StoredCalendar c = em.find(StoredCalendar.class, name, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(c);
        c.zone = zone.getId();
        if (region != null) {
            c.region = region;
        }
        c.revision = nextRevision();
        CalendarHours.delete("calendarName", name);
        em.flush();
        for (Map.Entry<DayOfWeek, BusinessCalendar.WorkingDay> e : hours.entrySet()) {
            CalendarHours h = new CalendarHours();
            h.calendarName = name;
            h.weekday = e.getKey().getValue();
            h.opens = e.getValue().openText();
            h.closes = e.getValue().closeText();
            h.persist();
        }
        em.flush();
        cache.remove(name);
        memo.forget(MEMO, name);
        changed.fire(new CalendarChanged(name));
        return inserted == 1;
    }

    /**
     * Adds the holidays to the calendar's own region (not to a region it includes); a date that
     * region already has is left as it is. Duplicate dates in the list count once (the first name).
     */
    @Transactional
    public Imported importHolidays(String name, List<NewHoliday> holidays) {
        lockForChange();
        StoredCalendar c = locked(name);
        Map<LocalDate, NewHoliday> distinct = new LinkedHashMap<>();
        holidays.forEach(h -> distinct.putIfAbsent(h.day(), h));
        int added = 0;
        for (NewHoliday h : distinct.values()) {
            added += em.createNativeQuery("INSERT INTO holiday (region, day, name) VALUES (?1, ?2, ?3)"
                            + " ON CONFLICT (region, day) DO NOTHING")
                    .setParameter(1, c.region)
                    .setParameter(2, h.day())
                    .setParameter(3, h.name())
                    .executeUpdate();
        }
        if (added > 0) {
            regionChanged(c.region);
        }
        return new Imported(name, c.region, added, distinct.size() - added);
    }

    /** Removes one holiday from the calendar's region; 404 when the region has none that day. */
    @Transactional
    public void deleteHoliday(String name, LocalDate day) {
        lockForChange();
        StoredCalendar c = locked(name);
        long deleted = Holiday.delete("region = ?1 and day = ?2", c.region, day);
        if (deleted == 0) {
            Optional<Holiday> included =
                    holidays(c.region).stream().filter(h -> h.day.equals(day)).findFirst();
            if (included.isPresent()) {
                String from = included.get().region;
                throw ProblemException.conflict(
                        "holiday-included",
                        day + " is a holiday of region " + from + ", which region "
                                + c.region + " includes: delete it from a calendar of region " + from
                                + " (it is then gone for every calendar that includes that region)");
            }
            throw ProblemException.notFound("holiday", day + " of region " + c.region);
        }
        regionChanged(c.region);
    }

    /**
     * The changes to holidays that migrations made (table {@code holiday_change_pending}), taken as
     * changes made through the API: a new revision and {@link CalendarChanged} for every affected
     * calendar, in one transaction that also deletes the rows. Replicas starting together do this
     * once: the rows are locked, and a second replica finds them gone.
     *
     * @return the regions handled
     */
    @Transactional
    public List<String> applyPendingChanges() {
        if (em.createNativeQuery("SELECT 1 FROM holiday_change_pending LIMIT 1")
                .getResultList()
                .isEmpty()) {
            return List.of();
        }
        lockForChange();
        @SuppressWarnings("unchecked")
        List<String> regions = em.createNativeQuery(
                        "SELECT region FROM holiday_change_pending ORDER BY region FOR UPDATE")
                .getResultList();
        if (!regions.isEmpty()) {
            regionsChanged(regions);
            for (String region : regions) {
                em.createNativeQuery("DELETE FROM holiday_change_pending WHERE region = ?1")
                        .setParameter(1, region)
                        .executeUpdate();
            }
        }
        return regions;
    }

    /**
     * A new revision, and the event, for every calendar whose holidays include this region's: its
     * own and those of every region that includes it.
     */
    private void regionChanged(String region) {
        regionsChanged(List.of(region));
    }

    /** {@link #regionChanged} for several regions at once: each affected calendar changes once. */
    private void regionsChanged(List<String> changedRegions) {
        Set<String> regions = new TreeSet<>();
        changedRegions.forEach(r -> regions.addAll(includedBy(r)));
        List<StoredCalendar> affected = StoredCalendar.list("region in ?1 order by name", List.copyOf(regions));
        for (StoredCalendar a : affected) {
            em.lock(a, LockModeType.PESSIMISTIC_WRITE);
            a.revision = nextRevision();
        }
        em.flush();
        for (StoredCalendar a : affected) {
            cache.remove(a.name);
            memo.forget(MEMO, a.name);
        }
        for (StoredCalendar a : affected) {
            changed.fire(new CalendarChanged(a.name));
        }
    }

    private StoredCalendar locked(String name) {
        StoredCalendar c = em.find(StoredCalendar.class, name, LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            throw ProblemException.notFound("calendar", name);
        }
        return c;
    }

    private long nextRevision() {
        return ((Number) em.createNativeQuery("SELECT nextval('calendar_revision')")
                        .getSingleResult())
                .longValue();
    }

    private BusinessCalendar build(StoredCalendar c) {
        Map<DayOfWeek, BusinessCalendar.WorkingDay> hours = new EnumMap<>(DayOfWeek.class);
        for (CalendarHours h : CalendarHours.of(c.name)) {
            hours.put(DayOfWeek.of(h.weekday), BusinessCalendar.WorkingDay.parse(h.opens, h.closes));
        }
        return new BusinessCalendar(
                c.name,
                ZoneId.of(c.zone),
                hours,
                Holiday.<Holiday>list("region in ?1", closure(c.region)).stream()
                        .map(h -> h.day)
                        .collect(Collectors.toSet()));
    }
}
