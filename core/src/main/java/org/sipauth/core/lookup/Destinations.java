package org.sipauth.core.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.Store;

/**
 * Where an authorized call goes: the enabled origination URLs of the trunk or SIP domain that
 * authorized it, in failover order (priority ascending, then weight descending, then SID), from a
 * Caffeine cache that the store's change feed keeps current. Once a target is cached, {@link #of}
 * reads nothing from the store; an origination URL change, the deletion of the target and a
 * {@code RESET} (a node that lost its PostgreSQL LISTEN connection) drop the affected entries.
 *
 * <p>Loads run outside the cache's locks and install their result only when no invalidation
 * happened since they began: stores publish events while holding their write lock, so the listener
 * must never wait for a loader that waits for the store, and a load that raced with a write must not
 * leave its stale list behind. A call that overlaps a write may see the list before or after it;
 * every call that starts after the write has returned sees it.
 *
 * <p>Thread-safe. Subscribes to the store when constructed; {@link #close()} unsubscribes.
 * Internal (this package is not exported): the server's proxy and redirect modes use it.
 */
public final class Destinations implements AutoCloseable {

    /** Targets cached at most; a target costs its list (usually a handful of URLs). */
    private static final long MAX_TARGETS = 100_000;
    /** Reload after this long even without an event, so that a missed invalidation heals by itself. */
    private static final Duration BACKSTOP_TTL = Duration.ofMinutes(10);
    private static final Comparator<OriginationUrl> FAILOVER_ORDER = Comparator
            .comparingInt(OriginationUrl::priority)
            .thenComparing(Comparator.comparingInt(OriginationUrl::weight).reversed())
            .thenComparing(u -> u.sid().value());

    private final Store store;
    private final Cache<Sid, List<OriginationUrl>> cache;
    /** Bumped by every invalidation, before the entry is dropped; a load installs only if unchanged. */
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private final AutoCloseable subscription;

    /** Serves the origination URLs of {@code store}'s targets, subscribed to its change feed. */
    public Destinations(Store store) {
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_TARGETS)
                .expireAfterWrite(BACKSTOP_TTL)
                .executor(Runnable::run)
                .build();
        this.subscription = store.subscribe(this::onChange);
    }

    /**
     * The enabled origination URLs of the trunk or SIP domain {@code targetSid} (TK… or SD…, either
     * hex case) in failover order: priority ascending, weight descending, SID. Empty for a target
     * without enabled URLs or that does not exist. Immutable.
     */
    public List<OriginationUrl> of(Sid targetSid) {
        Sid key = Objects.requireNonNull(targetSid, "targetSid").canonical();
        List<OriginationUrl> cached = cache.getIfPresent(key);
        return cached != null ? cached : load(key);
    }

    private List<OriginationUrl> load(Sid key) {
        long seen = invalidations.get();
        loads.incrementAndGet();
        List<OriginationUrl> urls = store.originationUrlsOf(key).stream()
                .filter(OriginationUrl::enabled)
                .sorted(FAILOVER_ORDER)
                .toList();
        cache.asMap().compute(key, (k, old) -> invalidations.get() == seen ? urls : old);
        return urls;
    }

    /** Applies one change event; called on the store's publishing thread. */
    void onChange(ChangeEvent event) {
        switch (event.type()) {
            case ORIGINATION_URL_CHANGED, ORIGINATION_URL_DELETED -> invalidate(event.parentSid());
            case TRUNK_DELETED, SIP_DOMAIN_DELETED -> invalidate(event.sid());
            case RESET -> {
                invalidations.incrementAndGet();
                cache.invalidateAll();
            }
            default -> {
                // nothing else changes where calls go
            }
        }
    }

    private void invalidate(Sid target) {
        if (target != null) {
            invalidations.incrementAndGet();
            cache.invalidate(target.canonical());
        }
    }

    /** How many times a target's list was read from the store (for tests). */
    long loads() {
        return loads.get();
    }

    /** Unsubscribes from the store's change feed. Idempotent. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("unsubscribing from the store failed", e);
        }
    }
}
