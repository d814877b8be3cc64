package redress.support.json;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.ToIntFunction;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * What request bodies may hold beyond what JSON allows. Control characters (other than tab and
 * line breaks) are junk from the sender, and a NUL cannot be stored in a PostgreSQL text column at
 * all; times outside the years 1 to 9999 cannot be written as RFC 3339. Both are refused while the
 * body is read, so they answer 400 naming the field, never 500. Applies to the REST layer's
 * mapper only: consumers read events with the codec's own mapper and log what they receive.
 */
@Singleton
public class RequestText implements ObjectMapperCustomizer {

    /** Refused with the field named; the message says why. */
    public static final class RefusedValue extends InvalidFormatException {
        private static final long serialVersionUID = 1L;

        RefusedValue(JsonParser p, String message, Object value, Class<?> type) {
            super(p, message, value, type);
        }
    }

    /** After Quarkus registers its Java time module: the last module registered wins. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule m = new SimpleModule("redress-request-text");
        m.addDeserializer(String.class, new Text());
        m.addDeserializer(
                Instant.class,
                new Bounded<>(
                        Instant.class,
                        InstantDeserializer.INSTANT,
                        i -> i.atOffset(ZoneOffset.UTC).getYear()));
        m.addDeserializer(
                OffsetDateTime.class,
                new Bounded<>(OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME, OffsetDateTime::getYear));
        mapper.registerModule(m);
    }

    /** The index of the first control character other than tab, line feed and carriage return, or -1. */
    public static int firstControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                return i;
            }
        }
        return -1;
    }

    static final class Text extends StdDeserializer<String> {
        private static final long serialVersionUID = 1L;

        Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            if (s != null) {
                int at = firstControlCharacter(s);
                if (at >= 0) {
                    throw new RefusedValue(
                            p,
                            String.format(
                                    "must not contain control characters (U+%04X at %d); "
                                            + "tab and line breaks are allowed",
                                    (int) s.charAt(at), at),
                            s,
                            String.class);
                }
            }
            return s;
        }
    }

    static final class Bounded<T> extends StdDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient JsonDeserializer<T> delegate;
        private final transient ToIntFunction<T> year;

        Bounded(Class<T> type, JsonDeserializer<T> delegate, ToIntFunction<T> year) {
            super(type);
            this.delegate = delegate;
            this.year = year;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            T value = delegate.deserialize(p, ctxt);
            if (value != null) {
                int y = year.applyAsInt(value);
                if (y < 1 || y > 9999) {
                    throw new RefusedValue(
                            p, "must be a time between the years 0001 and 9999", p.getText(), handledType());
                }
            }
            return value;
        }
    }
}
