package org.sipauth.core.lookup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.Store;

/**
 * Host -> trunk/domain index, kept current from the store's change feed. Thread-safe.
 *
 * <p>A change event (delivered synchronously by the store before the write returns) removes the
 * affected target at once and marks it pending; the next lookup reloads pending targets from the
 * store. The listener never reads the store itself (stores publish while holding their write
 * lock), and reloads are versioned: a reload that raced with a newer event for the same target is
 * discarded and retried, so a stale read can never overwrite a newer change.
 *
 * <p>Each target is indexed with its digest offer resolved ({@link IndexedTarget}): its own list, or
 * the default offer when it has none. An update of a target's list is a {@code TRUNK_CHANGED} /
 * {@code SIP_DOMAIN_CHANGED} event like any other change of the target, so the new offer is in force
 * on the next lookup.
 */
final class TargetIndex {

    private static final int MAX_REFRESH_ATTEMPTS = 4;

    private final Store store;
    private final DigestOffer defaultOffer;
    private final ConcurrentHashMap<String, IndexedTarget> byHost = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Sid, IndexedTarget> bySid = new ConcurrentHashMap<>();
    /**
     * Offers of targets with their own list, shared by every target with the same list: deployments
     * use a handful of lists across many targets. Bounded by the ordered sets of the six algorithms.
     * Guarded by lock.
     */
    private final Map<List<String>, DigestOffer> offers = new HashMap<>();
    private final Object lock = new Object();
    /** Event counter. Guarded by lock. */
    private long version;
    /** Target -> version of its latest event, not yet reloaded. Guarded by lock. */
    private final Map<Sid, Long> pending = new HashMap<>();
    /** A RESET (or the start) asks for a full reload; the version of that request. Guarded by lock. */
    private boolean fullReload = true;
    private long fullReloadVersion;
    private volatile boolean dirty = true;

    /** @param defaultOffer the offer of targets without a list of their own */
    TargetIndex(Store store, DigestOffer defaultOffer) {
        this.store = store;
        this.defaultOffer = defaultOffer;
    }

    /** Applies one change event; called on the store's publishing thread. */
    void onEvent(ChangeEvent event) {
        Sid target = switch (event.type()) {
            case TRUNK_CHANGED, TRUNK_DELETED, SIP_DOMAIN_CHANGED, SIP_DOMAIN_DELETED -> event.sid();
            case MAPPING_CHANGED, MAPPING_DELETED -> event.parentSid();
            default -> null;
        };
        synchronized (lock) {
            version++;
            if (event.type() == ChangeEvent.Type.RESET) {
                byHost.clear();
                bySid.clear();
                pending.clear();
                fullReload = true;
                fullReloadVersion = version;
                dirty = true;
            } else if (target != null) {
                Sid key = target.canonical();
                remove(key);
                pending.put(key, version);
                dirty = true;
            }
        }
    }

    /** The target owning {@code host} (any case; a trailing {@code :port} or dot is ignored), or null. */
    IndexedTarget find(String host) {
        if (dirty) {
            refresh();
        }
        IndexedTarget target = byHost.get(host);
        if (target == null) {
            String normalized = normalize(host);
            if (!normalized.equals(host)) {
                target = byHost.get(normalized);
            }
        }
        return target;
    }

    static String normalize(String host) {
        String h = host.trim();
        if (!h.startsWith("[")) {
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(':') == colon) {
                h = h.substring(0, colon);
            }
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private void refresh() {
        for (int attempt = 0; attempt < MAX_REFRESH_ATTEMPTS && dirty; attempt++) {
            long seen;
            boolean full;
            List<Sid> todo;
            synchronized (lock) {
                if (!dirty) {
                    return;
                }
                seen = version;
                full = fullReload;
                todo = full ? List.of() : new ArrayList<>(pending.keySet());
            }
            if (full) {
                List<AuthTarget> all = store.authTargets();
                synchronized (lock) {
                    if (fullReload && fullReloadVersion <= seen) {
                        for (AuthTarget t : all) {
                            Sid key = t.sid().canonical();
                            Long changed = pending.get(key);
                            if (changed == null || changed <= seen) {
                                put(key, t);
                                pending.remove(key);
                            }
                        }
                        pending.values().removeIf(v -> v <= seen);
                        fullReload = false;
                    }
                    dirty = fullReload || !pending.isEmpty();
                }
            } else {
                Map<Sid, Optional<AuthTarget>> loaded = new HashMap<>();
                for (Sid sid : todo) {
                    loaded.put(sid, store.authTarget(sid));
                }
                synchronized (lock) {
                    if (!fullReload) {
                        for (Map.Entry<Sid, Optional<AuthTarget>> e : loaded.entrySet()) {
                            Long changed = pending.get(e.getKey());
                            if (changed != null && changed <= seen) {
                                e.getValue().ifPresent(t -> put(e.getKey(), t));
                                pending.remove(e.getKey());
                            }
                        }
                    }
                    dirty = fullReload || !pending.isEmpty();
                }
            }
        }
    }

    /** Guarded by lock. */
    private void put(Sid key, AuthTarget target) {
        remove(key);
        String host = target.domainName().toLowerCase(Locale.ROOT);
        IndexedTarget indexed = new IndexedTarget(target, offerOf(target));
        bySid.put(key, indexed);
        byHost.put(host, indexed);
    }

    /** Guarded by lock. */
    private DigestOffer offerOf(AuthTarget target) {
        List<String> own = target.digestAlgorithms();
        // AuthTarget has checked the list already, so parsing cannot fail here.
        return own == null ? defaultOffer : offers.computeIfAbsent(own, DigestOffer::parse);
    }

    /** Guarded by lock. */
    private void remove(Sid key) {
        IndexedTarget old = bySid.remove(key);
        if (old != null) {
            byHost.remove(old.target().domainName().toLowerCase(Locale.ROOT), old);
        }
    }

    int size() {
        return byHost.size();
    }
}
