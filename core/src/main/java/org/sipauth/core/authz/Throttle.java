package org.sipauth.core.authz;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.sipauth.core.model.Sid;

/*
 * Design
 * ------
 * Keys. A wrong digest response is charged to three keys, each with its own budget over the same
 * window (defaults for the server's default of 10):
 *   source                        every failure from one address                  10
 *   (source, target, username)    one username at one trunk or domain, one address  5  (half)
 *   (target, username)            one username at one trunk or domain, all addresses 50 (5 times)
 * A key whose budget is spent is blocked for the cooldown. A blocked source is refused before its
 * credentials are read; a blocked username (either kind) as soon as the username is known. Both
 * come before any response is hashed. The username keys carry the target because the same
 * username at another tenant's trunk is another account.
 *
 * Successes. A success forgets exactly its own (source, target, username) key, so a user who
 * mistyped and then logged in starts from zero for that username at that address. It never
 * touches the source's total, the username's count across addresses, or any other username:
 * when any success cleared the source, an attacker who owned any credential (another user, or
 * another tenant's trunk on the same server) reset the victim's budget by logging in between
 * guesses: 2,700 guesses in 2.1 s from one address and never a 403.
 *
 * Why half and five times. Half: after one username has spent its own budget at an address its
 * requests are refused without being charged, so one misconfigured phone behind a NAT cannot
 * spend the address's whole budget alone; it takes two usernames failing. Five times: one address
 * can never lock a username out for everyone else (it is refused for that username after 5).
 *
 * Counting. Each key is a leaky bucket: a failure adds 1, the level drains at `limit` per window,
 * and the key is blocked when the level reaches `limit` (it restarts at 0 after the cooldown). So
 * `limit` failures in a burst block, a steady pace of `limit` per window never does, and a key
 * costs the same few words of memory whatever its limit (a ring of failure times would cost 8 MB
 * per key at the limit of 1,000,000 that load tests use).
 *
 * Memory. Each table holds at most maxKeys keys (plus, briefly, one per thread racing past the
 * check). When a new key overflows a table, one thread evicts down to 7/8 of maxKeys while the
 * others that overflow wait for it: first idle keys (drained and not blocked, so nothing is
 * lost), then the keys not blocked whose last failure is oldest, and only when too few keys are
 * left unblocked, the blocks that end soonest. The key just charged is never evicted. So a new failure is always counted and
 * a blocked key outlives any flood of keys that are not blocked: a full table forgets old partial
 * counts, it never stops counting (the table it replaces stopped tracking new sources once full,
 * which let any new source guess without limit).
 */

/**
 * The brute-force throttle of an {@link InviteAuthorizer}: wrong digest responses are counted per
 * source address, per username from one address, and per username from every address; a key over
 * its budget is refused ({@link AuthDecision.Reason#THROTTLED}) until its cooldown ends. See
 * {@code docs/throttle.md} for what it protects against and what it does not.
 *
 * <p>This class is the operator's view: {@link #blocked()} lists the keys being refused and
 * {@link #clear(Key)} releases one. Thread-safe; memory is bounded by
 * {@link InviteAuthorizer.Builder#throttleMaxSources(int)} keys per kind of key.
 */
public final class Throttle {

    /**
     * Usernames are at most 32 characters when provisioned. Longer ones can only be wrong, and
     * keying them whole would let a flood of kilobyte-long usernames hold megabytes per key kind.
     * Cutting them merges keys, which counts more (blocks sooner), never less.
     */
    static final int MAX_USERNAME_KEY_LENGTH = 64;

    private final Clock clock;
    private final long windowMillis;
    private final long cooldownMillis;
    private final int maxKeys;
    private final Table<InetAddress> sources;
    private final Table<Key> sourceUsernames;
    private final Table<Key> usernames;

    /**
     * A throttle key. {@code source} alone: every failure from that address. All three: one
     * username at one trunk or SIP domain ({@code target}) from that address. {@code target} and
     * {@code username} without a source: that username at that target from every address.
     */
    public record Key(InetAddress source, Sid target, String username) {
        public Key {
            if ((target == null) != (username == null)) {
                throw new IllegalArgumentException("target and username go together: " + target + ", " + username);
            }
            if (source == null && target == null) {
                throw new IllegalArgumentException("a throttle key needs a source, a target and username, or all three");
            }
        }
    }

    /**
     * A key being refused: the failures counted for it since it was last forgotten (a success on
     * a (source, target, username) key, {@link #clear}, or eviction) and when its block ends.
     */
    public record Blocked(Key key, long failures, Instant until) {
    }

    /**
     * @param sourceLimit          failures per source address; 0 turns that budget off
     * @param sourceUsernameLimit  failures per (source, target, username); 0 turns it off
     * @param usernameLimit        failures per (target, username) from all sources; 0 turns it off
     * @param maxKeys              keys per table, at least 1
     */
    Throttle(Clock clock, long windowMillis, long cooldownMillis, int sourceLimit, int sourceUsernameLimit,
             int usernameLimit, int maxKeys) {
        this.clock = clock;
        this.windowMillis = windowMillis;
        this.cooldownMillis = cooldownMillis;
        this.maxKeys = maxKeys;
        this.sources = new Table<>(sourceLimit);
        this.sourceUsernames = new Table<>(sourceUsernameLimit);
        this.usernames = new Table<>(usernameLimit);
    }

    /** The keys refused right now, the latest block first. */
    public List<Blocked> blocked() {
        long now = clock.millis();
        List<Blocked> out = new ArrayList<>();
        sources.collectBlocked(now, source -> new Key(source, null, null), out);
        sourceUsernames.collectBlocked(now, key -> key, out);
        usernames.collectBlocked(now, key -> key, out);
        out.sort(Comparator.comparing(Blocked::until).reversed());
        return List.copyOf(out);
    }

    /**
     * Forgets {@code key}: its failures and its block, if any. Only that key: clearing a source
     * leaves its (source, target, username) keys as they are. True when the key was tracked.
     */
    public boolean clear(Key key) {
        if (key.target() == null) {
            return sources.budgets.remove(key.source()) != null;
        }
        Key stored = new Key(key.source(), key.target(), keyName(key.username()));
        return (key.source() == null ? usernames : sourceUsernames).budgets.remove(stored) != null;
    }

    /** Forgets every key. */
    public void clearAll() {
        sources.budgets.clear();
        sourceUsernames.budgets.clear();
        usernames.budgets.clear();
    }

    /** Whether {@code source} as a whole is being refused. */
    boolean blocked(InetAddress source, long now) {
        return sources.blocked(source, now);
    }

    /** Whether {@code username} at {@code target} is being refused, from {@code source} or from everyone. */
    boolean blocked(InetAddress source, Sid target, String username, long now) {
        // The emptiness checks keep the common case (nobody failing) free of key allocations.
        if (sourceUsernames.budgets.isEmpty() && usernames.budgets.isEmpty()) {
            return false;
        }
        String name = keyName(username);
        return sourceUsernames.blocked(new Key(source, target, name), now)
                || usernames.blocked(new Key(null, target, name), now);
    }

    /** Charges one wrong response to the source, to (source, target, username) and to (target, username). */
    void failure(InetAddress source, Sid target, String username, long now) {
        sources.charge(source, now);
        String name = keyName(username);
        if (sourceUsernames.limit > 0) {
            sourceUsernames.charge(new Key(source, target, name), now);
        }
        if (usernames.limit > 0) {
            usernames.charge(new Key(null, target, name), now);
        }
    }

    /**
     * Charges one refusal by IP access control list to the source alone: no username was offered, so
     * no username budget is touched.
     */
    void sourceFailure(InetAddress source, long now) {
        sources.charge(source, now);
    }

    /** Forgets the (source, target, username) key only; see the design note for why nothing else. */
    void success(InetAddress source, Sid target, String username) {
        if (!sourceUsernames.budgets.isEmpty()) {
            sourceUsernames.budgets.remove(new Key(source, target, keyName(username)));
        }
    }

    int trackedSources() {
        return sources.budgets.size();
    }

    int trackedSourceUsernames() {
        return sourceUsernames.budgets.size();
    }

    int trackedUsernames() {
        return usernames.budgets.size();
    }

    private static String keyName(String username) {
        return username.length() <= MAX_USERNAME_KEY_LENGTH ? username : username.substring(0, MAX_USERNAME_KEY_LENGTH);
    }

    /** One key's count. Fields are guarded by this; {@code blockedUntil} is also read without it. */
    private static final class Budget {
        double level;
        long updatedAt;
        long lastFailureAt;
        long failures;
        volatile long blockedUntil = Long.MIN_VALUE;

        /** The level drained to {@code now}; a clock that steps back drains nothing. */
        double levelNow(long now, int limit, long windowMillis) {
            long elapsed = Math.max(0, now - updatedAt);
            return Math.max(0, level - (double) elapsed * limit / windowMillis);
        }

        void charge(long now, int limit, long windowMillis, long cooldownMillis) {
            failures++;
            lastFailureAt = now;
            if (blockedUntil > now) {
                return; // a request that raced past the check; the block already runs
            }
            level = levelNow(now, limit, windowMillis) + 1;
            updatedAt = now;
            if (level >= limit) {
                blockedUntil = now + cooldownMillis;
                level = 0;
            }
        }

        boolean idle(long now, int limit, long windowMillis) {
            return blockedUntil <= now && levelNow(now, limit, windowMillis) == 0;
        }
    }

    /** A candidate for eviction and the time that orders it (older first). */
    private record Candidate<K>(K key, long order) {
    }

    /** The keys of one kind and their budgets. */
    private final class Table<K> {
        final int limit;
        final ConcurrentHashMap<K, Budget> budgets = new ConcurrentHashMap<>();
        private final ReentrantLock evicting = new ReentrantLock();

        Table(int limit) {
            this.limit = limit;
        }

        boolean blocked(K key, long now) {
            Budget b = budgets.get(key);
            return b != null && b.blockedUntil > now;
        }

        void charge(K key, long now) {
            if (limit == 0) {
                return;
            }
            budgets.compute(key, (k, b) -> {
                Budget budget = b == null ? new Budget() : b;
                synchronized (budget) {
                    budget.charge(now, limit, windowMillis, cooldownMillis);
                }
                return budget;
            });
            if (budgets.size() > maxKeys) {
                evict(key, now);
            }
        }

        /**
         * Evicts down to 7/8 of maxKeys, sparing {@code charged}. Threads that overflow meanwhile wait
         * and then find room, so the table never holds more than maxKeys plus one key per thread.
         * Only the failure path of a full table comes here.
         */
        private void evict(K charged, long now) {
            evicting.lock();
            try {
                if (budgets.size() <= maxKeys) {
                    return;
                }
                int goal = maxKeys - maxKeys / 8;
                BiFunction<K, Budget, Budget> dropIfIdle = (k, b) -> {
                    synchronized (b) {
                        return b.idle(now, limit, windowMillis) ? null : b;
                    }
                };
                for (K key : budgets.keySet()) {
                    if (!key.equals(charged)) {
                        budgets.computeIfPresent(key, dropIfIdle);
                    }
                }
                int notFound = evictOldest(charged, now, budgets.size() - goal, false);
                // Blocked keys go only when too few keys are left unblocked, never because other
                // threads added keys while this pass ran.
                evictOldest(charged, now, notFound, true);
            } finally {
                evicting.unlock();
            }
        }

        /**
         * Evicts up to {@code count} keys that are blocked (or not, per {@code blocked}): not
         * blocked, the oldest last failure first; blocked, the soonest end first. Returns how many
         * of {@code count} it could not find.
         */
        private int evictOldest(K charged, long now, int count, boolean blocked) {
            if (count <= 0) {
                return 0;
            }
            List<Candidate<K>> candidates = new ArrayList<>();
            for (Map.Entry<K, Budget> e : budgets.entrySet()) {
                Budget b = e.getValue();
                synchronized (b) {
                    if ((b.blockedUntil > now) == blocked && !e.getKey().equals(charged)) {
                        candidates.add(new Candidate<>(e.getKey(), blocked ? b.blockedUntil : b.lastFailureAt));
                    }
                }
            }
            candidates.sort(Comparator.comparingLong(Candidate::order));
            boolean[] removed = new boolean[1];
            BiFunction<K, Budget, Budget> dropIfStill = (k, b) -> {
                synchronized (b) {
                    // re-checked: a failure may have blocked it since the snapshot
                    removed[0] = (b.blockedUntil > now) == blocked;
                    return removed[0] ? null : b;
                }
            };
            for (int i = 0; i < candidates.size() && count > 0; i++) {
                removed[0] = false;
                budgets.computeIfPresent(candidates.get(i).key(), dropIfStill);
                if (removed[0]) {
                    count--;
                }
            }
            return count;
        }

        void collectBlocked(long now, Function<K, Key> toKey, List<Blocked> out) {
            for (Map.Entry<K, Budget> e : budgets.entrySet()) {
                Budget b = e.getValue();
                synchronized (b) {
                    if (b.blockedUntil > now) {
                        out.add(new Blocked(toKey.apply(e.getKey()), b.failures, Instant.ofEpochMilli(b.blockedUntil)));
                    }
                }
            }
        }
    }
}
