package org.sipauth.core.store;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import org.sipauth.core.model.Sid;

/**
 * One slice of a list ordered by {@code (dateCreated, sid)} ascending, the stable order of every
 * list. Either an offset from the start, or a keyset position: strictly {@code after} a key, or
 * the {@code limit} items strictly {@code before} a key (still returned in ascending order).
 * In SQL: {@code WHERE (date_created, sid) > (?, ?) ORDER BY date_created, sid LIMIT ?}.
 *
 * @param after  nullable; return items strictly after this key
 * @param before nullable; return the last {@code limit} items strictly before this key
 * @param offset items to skip (only when neither key is set)
 * @param limit  maximum items to return, at least 1
 */
public record PageQuery(Key after, Key before, int offset, int limit) {

    /** A position in the stable order. SIDs compare by their lowercase value. */
    public record Key(Instant dateCreated, String sid) implements Comparable<Key> {
        private static final Comparator<Key> ORDER =
                Comparator.comparing(Key::dateCreated).thenComparing(Key::sid);

        public Key {
            Objects.requireNonNull(dateCreated, "dateCreated");
            Objects.requireNonNull(sid, "sid");
        }

        public static Key of(Instant dateCreated, Sid sid) {
            return new Key(dateCreated, sid.canonical().value());
        }

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    public PageQuery {
        if (after != null && before != null) {
            throw new IllegalArgumentException("after and before are exclusive");
        }
        if (offset < 0 || (offset > 0 && (after != null || before != null))) {
            throw new IllegalArgumentException("offset must be >= 0 and only used without a key");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
    }

    public static PageQuery first(int limit) {
        return new PageQuery(null, null, 0, limit);
    }

    public static PageQuery offset(int offset, int limit) {
        return new PageQuery(null, null, offset, limit);
    }

    public static PageQuery after(Key key, int limit) {
        return new PageQuery(Objects.requireNonNull(key), null, 0, limit);
    }

    public static PageQuery before(Key key, int limit) {
        return new PageQuery(null, Objects.requireNonNull(key), 0, limit);
    }
}
