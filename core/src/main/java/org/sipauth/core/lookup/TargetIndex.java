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
 * <p>IP access control lists: a target is indexed with the union of its mapped lists' entries
 * ({@link IpRanges}), read when the target is (re)loaded. A change of a list's entries
 * ({@code IP_ADDRESS_*}) removes and marks pending every indexed target that maps the list, and is
 * remembered with its version, so that a reload that read the list before the change is not installed
 * (the target stays pending and is read again).
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
    /** IP access control list -> version of its latest entry change. Guarded by lock. */
    private final Map<Sid, Long> aclChanges = new HashMap<>();
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
        Sid acl = switch (event.type()) {
            case IP_ADDRESS_CHANGED, IP_ADDRESS_DELETED -> event.parentSid();
            default -> null;
        };
        synchronized (lock) {
            version++;
            if (event.type() == ChangeEvent.Type.IP_ACCESS_CONTROL_LIST_DELETED) {
                // Its mappings were deleted first, each marking its target pending with a newer version
                // than any reload in flight: the list's own entry is no longer needed.
                aclChanges.remove(event.sid().canonical());
            }
            if (acl != null) {
                Sid list = acl.canonical();
                aclChanges.put(list, version);
                List<Sid> affected = new ArrayList<>();
                for (Map.Entry<Sid, IndexedTarget> e : bySid.entrySet()) {
                    if (e.getValue().target().callIpAccessControlListSids().contains(list)) {
                        affected.add(e.getKey());
                    }
                }
                for (Sid key : affected) {
                    remove(key);
                    pending.put(key, version);
                }
                dirty = true;
            }
            if (event.type() == ChangeEvent.Type.RESET) {
                byHost.clear();
                bySid.clear();
                pending.clear();
                aclChanges.clear();
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
                Map<Sid, IpRanges> ranges = loadRanges(all);
                synchronized (lock) {
                    if (fullReload && fullReloadVersion <= seen) {
                        for (AuthTarget t : all) {
                            Sid key = t.sid().canonical();
                            Long changed = pending.get(key);
                            if (changed == null || changed <= seen) {
                                install(key, t, ranges, seen);
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
                Map<Sid, IpRanges> ranges = loadRanges(loaded.values().stream().flatMap(Optional::stream).toList());
                synchronized (lock) {
                    if (!fullReload) {
                        for (Map.Entry<Sid, Optional<AuthTarget>> e : loaded.entrySet()) {
                            Long changed = pending.get(e.getKey());
                            if (changed != null && changed <= seen) {
                                if (e.getValue().isPresent()) {
                                    install(e.getKey(), e.getValue().get(), ranges, seen);
                                } else {
                                    pending.remove(e.getKey());
                                }
                            }
                        }
                    }
                    dirty = fullReload || !pending.isEmpty();
                }
            }
        }
    }

    /** The entries of every IP access control list the targets map, read outside the lock. */
    private Map<Sid, IpRanges> loadRanges(List<AuthTarget> targets) {
        Map<Sid, IpRanges> ranges = new HashMap<>();
        for (AuthTarget t : targets) {
            for (Sid list : t.callIpAccessControlListSids()) {
                ranges.computeIfAbsent(list.canonical(), l -> IpRanges.of(store.ipAddressesOf(l)));
            }
        }
        return ranges;
    }

    /**
     * Indexes a target read at version {@code seen}, unless one of its IP access control lists changed
     * after that read: then it stays pending with that change's version. Guarded by lock.
     */
    private void install(Sid key, AuthTarget target, Map<Sid, IpRanges> ranges, long seen) {
        long newer = 0;
        List<IpRanges> sets = new ArrayList<>();
        for (Sid list : target.callIpAccessControlListSids()) {
            Sid canonical = list.canonical();
            newer = Math.max(newer, aclChanges.getOrDefault(canonical, 0L));
            sets.add(ranges.get(canonical));
        }
        if (newer > seen) {
            remove(key);
            pending.put(key, newer);
            return;
        }
        put(key, target, sets.isEmpty() ? null : IpRanges.union(sets));
        pending.remove(key);
    }

    /** Guarded by lock. */
    private void put(Sid key, AuthTarget target, IpRanges sources) {
        remove(key);
        String host = target.domainName().toLowerCase(Locale.ROOT);
        IndexedTarget indexed = new IndexedTarget(target, offerOf(target), sources);
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
