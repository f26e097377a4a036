package org.sipauth.core.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * Credential list SID -> immutable table username -> packed HA1 bytes
 * (MD5 16 | SHA-256 32 | SHA-512/256 32 = 80 bytes; hex would double that).
 *
 * - Bounded by weight (one unit per credential) and reloaded after a backstop TTL, so a missed
 *   invalidation (there should be none) heals by itself. The TTL is checked here against the
 *   caller's clock reading (authorize() reads the clock once anyway), not by Caffeine's
 *   expireAfterWrite, which reads System.nanoTime() on every lookup: about 20 ns per mapped list.
 * - Loaded outside Caffeine's compute: stores publish change events while holding their write
 *   lock, so a listener that invalidates must never wait for a loader that waits for the store
 *   (that is a deadlock). Instead each load snapshots a version (one of 1024 stripes by list SID,
 *   plus a global epoch for RESET), reads the store, and installs its table only if no
 *   invalidation for that stripe happened meanwhile (checked inside a cheap compute). The
 *   listener bumps the version and then removes the entry, so either the load sees the new
 *   version and does not install, or its entry is removed after it was installed.
 * - Single flight: threads that miss the same list while it loads wait for that load instead of
 *   each reading the store (measured before: all worker threads loading the same 10,000-credential
 *   list at once made the first call on a target take seconds). A thread joins a running load only
 *   when no invalidation of its stripe happened since that load took its snapshot: then the load's
 *   store read began after every change the caller could have seen acknowledged, so joining can
 *   never hand out a table older than a delete the caller knows about. Otherwise it loads itself.
 *   Two windows would let a second load through, and both are closed: a thread that loses the race
 *   to register its load looks again (and joins the winner), and a thread that registers after a
 *   load finished first looks in the cache again (a load installs its table before it unregisters).
 * - Credentials whose HA1s were computed for another realm are skipped (a realm change invalidates
 *   credentials, as docs/engine.md says).
 * - Tables are immutable and shared by readers without locks; a lookup allocates nothing.
 * - Reads are "quiet" (not recorded in Caffeine's frequency sketch): recording a read makes
 *   Caffeine 3.1 allocate during buffer drains (measured: ~90 B per lookup with 1M credentials),
 *   and the cache is meant to hold every mapped list anyway. The price: when the weight bound is
 *   reached, eviction follows load frequency and age rather than read frequency, so size
 *   maxCachedCredentials above the number of mapped credentials (about 140-200 B each).
 *
 * Thread-safe.
 */
final class Ha1Cache {

    private static final Logger LOG = LoggerFactory.getLogger(Ha1Cache.class);
    private static final int STRIPES = 1024;

    /** username -> packed HA1s of one credential list. Immutable. */
    static final class Table {
        private final Map<String, byte[]> byUsername;
        private final long loadedAtMillis;

        Table(Map<String, byte[]> byUsername, long loadedAtMillis) {
            this.byUsername = byUsername;
            this.loadedAtMillis = loadedAtMillis;
        }

        byte[] ha1(String username) {
            return byUsername.get(username);
        }

        int size() {
            return byUsername.size();
        }
    }

    private final Store store;
    private final String realm;
    private final Cache<Sid, Table> cache;
    private final Policy<Sid, Table> policy;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final AtomicLong epoch = new AtomicLong();
    private final ConcurrentHashMap<Sid, Loading> loading = new ConcurrentHashMap<>();
    private final long ttlMillis;
    /** Set on the first load that skips a credential of another realm: one warning, not one per load. */
    private volatile boolean warnedOtherRealm;

    Ha1Cache(Store store, String realm, long maxCredentials, Duration backstopTtl) {
        this.store = store;
        this.realm = realm;
        this.ttlMillis = backstopTtl.toMillis();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxCredentials)
                .weigher((Sid sid, Table table) -> table.size() + 1)
                // Maintenance (eviction, expiry) on the calling thread, amortized under Caffeine's own
                // try-lock: no hand-off to the common pool on the hot path.
                .executor(Runnable::run)
                .build();
        this.policy = cache.policy();
    }

    /**
     * The table of {@code listSid} (empty when the list does not exist), loaded from the store when
     * absent or older than the backstop TTL at {@code nowMillis}.
     */
    Table table(Sid listSid, long nowMillis) {
        Table table = policy.getIfPresentQuietly(listSid);
        // Subtraction, not comparison of sums: immune to overflow and to a clock stepping backwards.
        return table != null && nowMillis - table.loadedAtMillis < ttlMillis ? table : load(listSid, nowMillis);
    }

    private Table load(Sid listSid, long nowMillis) {
        int stripe = stripe(listSid);
        Loading mine;
        long epochSeen;
        long versionSeen;
        for (;;) {
            epochSeen = epoch.get();
            versionSeen = versions.get(stripe);
            Loading running = loading.get(listSid);
            if (running != null && running.epochSeen == epochSeen && running.versionSeen == versionSeen) {
                running.joiners.incrementAndGet();
                return running.join();
            }
            mine = new Loading(epochSeen, versionSeen);
            boolean registered = running == null ? loading.putIfAbsent(listSid, mine) == null
                    : loading.replace(listSid, running, mine);
            if (registered) {
                break;
            }
            // Another thread registered a load between our get and our put: look again (join it).
        }
        try {
            // A load that finished between our cache miss and our registration installed its table
            // before it unregistered: use it (it is as current as any cache hit) rather than read again.
            Table installed = policy.getIfPresentQuietly(listSid);
            Table table = installed != null && nowMillis - installed.loadedAtMillis < ttlMillis ? installed
                    : install(listSid, stripe, epochSeen, versionSeen, build(store.credentialsOf(listSid), nowMillis));
            mine.complete(table);
            return table;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(listSid, mine);
        }
    }

    /** Caches {@code table} unless an invalidation of its stripe happened since the snapshot. */
    private Table install(Sid listSid, int stripe, long epochSeen, long versionSeen, Table table) {
        cache.asMap().compute(listSid, (sid, old) ->
                epoch.get() == epochSeen && versions.get(stripe) == versionSeen ? table : old);
        return table;
    }

    /** How many calls joined the load of {@code listSid} in progress (0 when none is); for tests. */
    int joinersOfRunningLoad(Sid listSid) {
        Loading running = loading.get(listSid);
        return running == null ? 0 : running.joiners.get();
    }

    /** A load in progress and the invalidation versions it snapshotted before reading the store. */
    private static final class Loading extends CompletableFuture<Table> {
        final long epochSeen;
        final long versionSeen;
        /** Calls waiting for this load (counted before they wait; read by tests). */
        final AtomicInteger joiners = new AtomicInteger();

        Loading(long epochSeen, long versionSeen) {
            this.epochSeen = epochSeen;
            this.versionSeen = versionSeen;
        }

        @Override
        public Table join() {
            try {
                return super.join();
            } catch (CompletionException e) {
                // The loader's own exception (e.g. StoreException), as if this thread had loaded.
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }

    private Table build(List<Credential> credentials, long nowMillis) {
        if (credentials.isEmpty()) {
            return new Table(Map.of(), nowMillis);
        }
        Map<String, byte[]> map = new HashMap<>(credentials.size() * 4 / 3 + 1);
        String otherRealm = null;
        for (Credential c : credentials) {
            Ha1Set h = c.ha1();
            if (realm.equals(h.realm())) {
                map.put(c.username(), pack(h));
            } else {
                otherRealm = h.realm();
            }
        }
        if (otherRealm != null && !warnedOtherRealm) {
            warnedOtherRealm = true;
            LOG.warn("credentials provisioned for realm \"{}\" are ignored: this engine's realm is \"{}\"; they can "
                    + "never verify until they are set again under this realm", otherRealm, realm);
        }
        return new Table(map, nowMillis);
    }

    static byte[] pack(Ha1Set h) {
        byte[] packed = new byte[DigestAlgorithm.PACKED_HA1_LENGTH];
        unhex(h.md5(), packed, DigestAlgorithm.MD5.ha1Offset());
        unhex(h.sha256(), packed, DigestAlgorithm.SHA_256.ha1Offset());
        unhex(h.sha512256(), packed, DigestAlgorithm.SHA_512_256.ha1Offset());
        return packed;
    }

    private static void unhex(String hex, byte[] out, int at) {
        for (int i = 0; i < hex.length() / 2; i++) {
            out[at + i] = (byte) ((Character.digit(hex.charAt(2 * i), 16) << 4) | Character.digit(hex.charAt(2 * i + 1), 16));
        }
    }

    /** Drops one list (its credentials changed or it was deleted). */
    void invalidate(Sid listSid) {
        Sid key = listSid.canonical();
        versions.incrementAndGet(stripe(key));
        cache.invalidate(key);
    }

    /** Drops everything (RESET). */
    void invalidateAll() {
        epoch.incrementAndGet();
        cache.invalidateAll();
    }

    long cachedCredentials() {
        long n = 0;
        for (Table t : cache.asMap().values()) {
            n += t.size();
        }
        return n;
    }

    private static int stripe(Sid sid) {
        int h = sid.value().hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
