package redress.followup.calendar;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

/** Records every {@link CalendarChanged} with whether a transaction was active when it was fired. */
@Singleton
public class CalendarChangedRecorder {

    public record Seen(String name, boolean inTransaction) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final TransactionManager tm;

    public CalendarChangedRecorder(TransactionManager tm) {
        this.tm = tm;
    }

    void on(@Observes CalendarChanged e) throws SystemException {
        seen.add(new Seen(e.name(), tm.getStatus() == Status.STATUS_ACTIVE));
    }

    public List<Seen> of(String name) {
        return seen.stream().filter(s -> s.name().equals(name)).toList();
    }
}
