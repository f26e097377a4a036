package org.sipauth.core.store.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.ChangeFeed;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/**
 * A {@link Store} in memory: the default for tests and for embedding without a database.
 *
 * <p>Thread-safe. Writes are rare, so one read-write lock guards all state: reads run in parallel,
 * a write is exclusive, so every read (including {@link #authTargets()}) sees a state between
 * whole writes. Events are published while the write lock is still held: listeners see them in
 * commit order, and a listener that reads the store on its own thread sees exactly the committed
 * state (the lock is reentrant). Listeners must therefore not block on other threads that use
 * this store.
 */
public final class MemoryStore implements Store {

    private static final Comparator<MappingRow> MAPPING_ORDER =
            Comparator.comparing(MappingRow::dateCreated).thenComparing(r -> r.listSid().value());

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final ChangeFeed feed = new ChangeFeed();

    // All maps are keyed by canonical (lowercase) SIDs and guarded by `lock`.
    private final Map<Sid, Account> accounts = new HashMap<>();
    private final Targets<Trunk> trunks = new Targets<>(new HashMap<>(), Trunk::sid, Trunk::accountSid,
            Trunk::domainName, Trunk::dateCreated, ChangeEvent.Type.TRUNK_CHANGED, ChangeEvent.Type.TRUNK_DELETED);
    private final Targets<SipDomain> domains = new Targets<>(new HashMap<>(), SipDomain::sid, SipDomain::accountSid,
            SipDomain::domainName, SipDomain::dateCreated, ChangeEvent.Type.SIP_DOMAIN_CHANGED,
            ChangeEvent.Type.SIP_DOMAIN_DELETED);
    /** Lowercase domain name -> the trunk or domain that owns it. */
    private final Map<String, Sid> domainOwners = new HashMap<>();
    private final Map<Sid, CredentialList> lists = new HashMap<>();
    /** account -> friendly name -> list. */
    private final Map<Sid, Map<String, Sid>> listNames = new HashMap<>();
    /** list -> credential SID -> credential. */
    private final Map<Sid, Map<Sid, Credential>> credentials = new HashMap<>();
    /** list -> username -> credential SID. */
    private final Map<Sid, Map<String, Sid>> usernames = new HashMap<>();
    private final Map<Sid, IpAccessControlList> ipLists = new HashMap<>();
    /** IP access control list -> entry SID -> entry. */
    private final Map<Sid, Map<Sid, IpAddress>> ipAddresses = new HashMap<>();
    /** Mappings of both kinds of list: a CL… and an AL… SID never collide. */
    private final Map<MappingId, MappingRow> mappings = new LinkedHashMap<>();
    /** target -> its mappings' ids, so that per-target reads do not scan every mapping. */
    private final Map<Sid, Set<MappingId>> mappingIdsByTarget = new HashMap<>();

    /** target -> origination URL SID -> URL. */
    private final Map<Sid, Map<Sid, OriginationUrl>> originationUrls = new HashMap<>();

    private record MappingId(MappingKind kind, Sid targetSid, Sid listSid) {
    }

    private record MappingRow(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid, Instant dateCreated) {
    }

    /** An empty store. */
    public MemoryStore() {
    }

    // ---- engine read side ----------------------------------------------------------------------

    @Override
    public List<AuthTarget> authTargets() {
        lock.readLock().lock();
        try {
            Map<Sid, List<MappingRow>> byTarget = new HashMap<>();
            for (MappingRow row : mappings.values()) {
                byTarget.computeIfAbsent(row.targetSid(), k -> new ArrayList<>()).add(row);
            }
            List<AuthTarget> targets = new ArrayList<>(domainOwners.size());
            for (Trunk trunk : trunks.rows().values()) {
                if (trunk.domainName() != null) {
                    targets.add(trunkTarget(trunk, byTarget.getOrDefault(trunk.sid(), List.of())));
                }
            }
            for (SipDomain domain : domains.rows().values()) {
                targets.add(domainTarget(domain, byTarget.getOrDefault(domain.sid(), List.of())));
            }
            return targets;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<AuthTarget> authTarget(Sid targetSid) {
        Sid sid = targetSid.canonical();
        lock.readLock().lock();
        try {
            Trunk trunk = trunks.rows().get(sid);
            if (trunk != null) {
                return trunk.domainName() == null ? Optional.empty()
                        : Optional.of(trunkTarget(trunk, mappingsOfTarget(sid)));
            }
            SipDomain domain = domains.rows().get(sid);
            return domain == null ? Optional.empty() : Optional.of(domainTarget(domain, mappingsOfTarget(sid)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Credential> credentialsOf(Sid credentialListSid) {
        lock.readLock().lock();
        try {
            Map<Sid, Credential> of = credentials.get(credentialListSid.canonical());
            return of == null ? List.of() : sorted(of.values(), Credential::dateCreated, Credential::sid);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<IpAddress> ipAddressesOf(Sid ipAccessControlListSid) {
        return read(() -> sorted(ipAddresses.getOrDefault(ipAccessControlListSid.canonical(), Map.of()).values(),
                IpAddress::dateCreated, IpAddress::sid));
    }

    private List<MappingRow> mappingsOfTarget(Sid targetSid) {
        List<MappingRow> rows = new ArrayList<>();
        for (MappingId id : mappingIdsByTarget.getOrDefault(targetSid, Set.of())) {
            rows.add(mappings.get(id));
        }
        return rows;
    }

    private void putMapping(MappingId id, MappingRow row) {
        mappings.put(id, row);
        mappingIdsByTarget.computeIfAbsent(id.targetSid(), k -> new HashSet<>()).add(id);
    }

    private void removeMapping(MappingId id) {
        mappings.remove(id);
        Set<MappingId> ids = mappingIdsByTarget.get(id.targetSid());
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                mappingIdsByTarget.remove(id.targetSid());
            }
        }
    }

    private static AuthTarget trunkTarget(Trunk trunk, List<MappingRow> rows) {
        return new AuthTarget(trunk.sid(), trunk.accountSid(), trunk.domainName(),
                listSids(rows, MappingKind.TRUNK, SidKind.CREDENTIAL_LIST), List.of(), trunk.digestAlgorithms(),
                listSids(rows, MappingKind.TRUNK, SidKind.IP_ACCESS_CONTROL_LIST));
    }

    private static AuthTarget domainTarget(SipDomain domain, List<MappingRow> rows) {
        return new AuthTarget(domain.sid(), domain.accountSid(), domain.domainName(),
                listSids(rows, MappingKind.DOMAIN_CALLS, SidKind.CREDENTIAL_LIST),
                listSids(rows, MappingKind.DOMAIN_REGISTRATIONS, SidKind.CREDENTIAL_LIST), domain.digestAlgorithms(),
                listSids(rows, MappingKind.DOMAIN_CALLS, SidKind.IP_ACCESS_CONTROL_LIST));
    }

    private static List<Sid> listSids(List<MappingRow> rows, MappingKind kind, SidKind listKind) {
        return rows.stream().filter(r -> r.kind() == kind && r.listSid().kind() == listKind).sorted(MAPPING_ORDER)
                .map(MappingRow::listSid).toList();
    }

    // ---- accounts ----------------------------------------------------------------------------

    @Override
    public Optional<Account> findAccount(Sid accountSid) {
        return read(() -> Optional.ofNullable(accounts.get(accountSid.canonical())));
    }

    @Override
    public void insertAccount(Account account) {
        write(events -> {
            Sid sid = account.sid().canonical();
            if (accounts.containsKey(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            accounts.put(sid, account);
            events.add(new ChangeEvent(ChangeEvent.Type.ACCOUNT_CHANGED, sid, sid, null));
            return null;
        });
    }

    @Override
    public boolean updateAccount(Account account) {
        return write(events -> {
            Sid sid = account.sid().canonical();
            if (!accounts.containsKey(sid)) {
                return false;
            }
            accounts.put(sid, account);
            events.add(new ChangeEvent(ChangeEvent.Type.ACCOUNT_CHANGED, sid, sid, null));
            return true;
        });
    }

    @Override
    public long accountCount() {
        return read(() -> (long) accounts.size());
    }

    // ---- trunks and SIP domains ------------------------------------------------------------------

    /**
     * The trunks or the SIP domains: {@code rows} keyed by canonical SID (guarded by {@link #lock}),
     * how to read a row, and the events a write publishes. Domain names are claimed in
     * {@link #domainOwners} and SIDs are unique across both kinds.
     */
    private record Targets<T>(Map<Sid, T> rows, Function<T, Sid> sidOf, Function<T, Sid> accountOf,
                              Function<T, String> domainNameOf, Function<T, Instant> dateCreatedOf,
                              ChangeEvent.Type changed, ChangeEvent.Type deleted) {

        Optional<T> owned(Sid accountSid, Sid targetSid) {
            return Optional.ofNullable(rows.get(targetSid.canonical()))
                    .filter(t -> accountOf.apply(t).equals(accountSid.canonical()));
        }
    }

    @Override
    public void insertTrunk(Trunk trunk) {
        insertTarget(trunks, trunk);
    }

    @Override
    public boolean updateTrunk(Trunk trunk) {
        return updateTarget(trunks, trunk);
    }

    @Override
    public Optional<Trunk> findTrunk(Sid accountSid, Sid trunkSid) {
        return read(() -> trunks.owned(accountSid, trunkSid));
    }

    @Override
    public List<Trunk> listTrunks(Sid accountSid, PageQuery query) {
        return listTargets(trunks, accountSid, query);
    }

    @Override
    public boolean deleteTrunk(Sid accountSid, Sid trunkSid) {
        return deleteTarget(trunks, accountSid, trunkSid);
    }

    @Override
    public void insertSipDomain(SipDomain domain) {
        insertTarget(domains, domain);
    }

    @Override
    public boolean updateSipDomain(SipDomain domain) {
        return updateTarget(domains, domain);
    }

    @Override
    public Optional<SipDomain> findSipDomain(Sid accountSid, Sid domainSid) {
        return read(() -> domains.owned(accountSid, domainSid));
    }

    @Override
    public List<SipDomain> listSipDomains(Sid accountSid, PageQuery query) {
        return listTargets(domains, accountSid, query);
    }

    @Override
    public boolean deleteSipDomain(Sid accountSid, Sid domainSid) {
        return deleteTarget(domains, accountSid, domainSid);
    }

    private <T> void insertTarget(Targets<T> kind, T target) {
        write(events -> {
            Sid sid = kind.sidOf().apply(target).canonical();
            if (trunks.rows().containsKey(sid) || domains.rows().containsKey(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            claimDomainName(null, kind.domainNameOf().apply(target), sid);
            kind.rows().put(sid, target);
            events.add(new ChangeEvent(kind.changed(), kind.accountOf().apply(target), sid, null));
            return null;
        });
    }

    private <T> boolean updateTarget(Targets<T> kind, T target) {
        return write(events -> {
            Sid sid = kind.sidOf().apply(target).canonical();
            T current = kind.owned(kind.accountOf().apply(target), sid).orElse(null);
            if (current == null) {
                return false;
            }
            claimDomainName(kind.domainNameOf().apply(current), kind.domainNameOf().apply(target), sid);
            kind.rows().put(sid, target);
            events.add(new ChangeEvent(kind.changed(), kind.accountOf().apply(target), sid, null));
            return true;
        });
    }

    private <T> List<T> listTargets(Targets<T> kind, Sid accountSid, PageQuery query) {
        return read(() -> slice(owned(kind.rows().values(), kind.accountOf(), accountSid.canonical()),
                kind.dateCreatedOf(), kind.sidOf(), query));
    }

    private <T> boolean deleteTarget(Targets<T> kind, Sid accountSid, Sid targetSid) {
        return write(events -> {
            Sid sid = targetSid.canonical();
            T target = kind.owned(accountSid, sid).orElse(null);
            if (target == null) {
                return false;
            }
            removeMappings(mappingsOfTarget(sid), events);
            Map<Sid, OriginationUrl> urls = originationUrls.remove(sid);
            if (urls != null) {
                for (OriginationUrl url : sorted(urls.values(), OriginationUrl::dateCreated, OriginationUrl::sid)) {
                    events.add(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_DELETED, url.accountSid(), url.sid(), sid));
                }
            }
            kind.rows().remove(sid);
            releaseDomainName(kind.domainNameOf().apply(target));
            events.add(new ChangeEvent(kind.deleted(), accountSid.canonical(), sid, null));
            return true;
        });
    }

    /** Checks and moves a domain name claim; throws before changing anything. */
    private void claimDomainName(String oldName, String newName, Sid owner) {
        if (Objects.equals(oldName, newName)) {
            return;
        }
        if (newName != null) {
            Sid holder = domainOwners.get(newName);
            if (holder != null && !holder.equals(owner)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.DOMAIN_NAME);
            }
            domainOwners.put(newName, owner);
        }
        releaseDomainName(oldName);
    }

    private void releaseDomainName(String name) {
        if (name != null) {
            domainOwners.remove(name);
        }
    }

    // ---- credential lists -----------------------------------------------------------------------

    @Override
    public void insertCredentialList(CredentialList list) {
        write(events -> {
            Sid sid = list.sid().canonical();
            if (lists.containsKey(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            Map<String, Sid> names = listNames.computeIfAbsent(list.accountSid(), k -> new HashMap<>());
            if (names.containsKey(list.friendlyName())) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.FRIENDLY_NAME);
            }
            names.put(list.friendlyName(), sid);
            lists.put(sid, list);
            events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_LIST_CHANGED, list.accountSid(), sid, null));
            return null;
        });
    }

    @Override
    public boolean updateCredentialList(CredentialList list) {
        return write(events -> {
            Sid sid = list.sid().canonical();
            CredentialList current = lists.get(sid);
            if (current == null || !current.accountSid().equals(list.accountSid())) {
                return false;
            }
            Map<String, Sid> names = listNames.get(list.accountSid());
            Sid holder = names.get(list.friendlyName());
            if (holder != null && !holder.equals(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.FRIENDLY_NAME);
            }
            names.remove(current.friendlyName());
            names.put(list.friendlyName(), sid);
            lists.put(sid, list);
            events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_LIST_CHANGED, list.accountSid(), sid, null));
            return true;
        });
    }

    @Override
    public Optional<CredentialList> findCredentialList(Sid accountSid, Sid listSid) {
        return read(() -> ownedList(accountSid.canonical(), listSid.canonical()));
    }

    @Override
    public List<CredentialList> listCredentialLists(Sid accountSid, PageQuery query) {
        return read(() -> slice(owned(lists.values(), CredentialList::accountSid, accountSid.canonical()),
                CredentialList::dateCreated, CredentialList::sid, query));
    }

    @Override
    public boolean deleteCredentialList(Sid accountSid, Sid listSid) {
        return write(events -> {
            Sid sid = listSid.canonical();
            CredentialList list = ownedList(accountSid.canonical(), sid).orElse(null);
            if (list == null) {
                return false;
            }
            Map<Sid, Credential> members = credentials.remove(sid);
            usernames.remove(sid);
            if (members != null) {
                for (Credential c : sorted(members.values(), Credential::dateCreated, Credential::sid)) {
                    events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, accountSid.canonical(), c.sid(), sid));
                }
            }
            removeMappings(mappings.values().stream().filter(row -> row.listSid().equals(sid)).toList(), events);
            lists.remove(sid);
            listNames.get(accountSid.canonical()).remove(list.friendlyName());
            events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_LIST_DELETED, accountSid.canonical(), sid, null));
            return true;
        });
    }

    private Optional<CredentialList> ownedList(Sid accountSid, Sid listSid) {
        return Optional.ofNullable(lists.get(listSid)).filter(l -> l.accountSid().equals(accountSid.canonical()));
    }

    // ---- credentials ------------------------------------------------------------------------------

    @Override
    public void insertCredential(Credential credential) {
        write(events -> {
            Sid sid = credential.sid().canonical();
            Sid listSid = credential.credentialListSid().canonical();
            if (ownedList(credential.accountSid().canonical(), listSid).isEmpty()) {
                throw new MissingReferenceException("credential list " + listSid);
            }
            Map<String, Sid> names = usernames.computeIfAbsent(listSid, k -> new HashMap<>());
            if (names.containsKey(credential.username())) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.USERNAME);
            }
            Map<Sid, Credential> members = credentials.computeIfAbsent(listSid, k -> new HashMap<>());
            if (members.containsKey(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            names.put(credential.username(), sid);
            members.put(sid, credential);
            events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_CHANGED, credential.accountSid().canonical(), sid, listSid));
            return null;
        });
    }

    @Override
    public boolean updateCredential(Credential credential) {
        return write(events -> {
            Sid sid = credential.sid().canonical();
            Sid listSid = credential.credentialListSid().canonical();
            Map<Sid, Credential> members = credentials.get(listSid);
            Credential current = members == null ? null : members.get(sid);
            if (current == null || !current.accountSid().equals(credential.accountSid().canonical())) {
                return false;
            }
            if (!current.username().equals(credential.username())) {
                Map<String, Sid> names = usernames.get(listSid);
                if (names.containsKey(credential.username())) {
                    throw new DuplicateKeyException(DuplicateKeyException.Key.USERNAME);
                }
                names.remove(current.username());
                names.put(credential.username(), sid);
            }
            members.put(sid, credential);
            events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_CHANGED, credential.accountSid().canonical(), sid, listSid));
            return true;
        });
    }

    @Override
    public Optional<Credential> findCredential(Sid accountSid, Sid listSid, Sid credentialSid) {
        return read(() -> {
            Map<Sid, Credential> members = credentials.get(listSid.canonical());
            return Optional.ofNullable(members == null ? null : members.get(credentialSid.canonical()))
                    .filter(c -> c.accountSid().canonical().equals(accountSid.canonical()));
        });
    }

    @Override
    public List<Credential> listCredentials(Sid accountSid, Sid listSid, PageQuery query) {
        return read(() -> {
            Sid sid = listSid.canonical();
            if (ownedList(accountSid.canonical(), sid).isEmpty()) {
                return List.of();
            }
            return slice(credentials.getOrDefault(sid, Map.of()).values(), Credential::dateCreated, Credential::sid, query);
        });
    }

    @Override
    public boolean deleteCredential(Sid accountSid, Sid listSid, Sid credentialSid) {
        return write(events -> {
            Sid list = listSid.canonical();
            Sid sid = credentialSid.canonical();
            Map<Sid, Credential> members = credentials.get(list);
            Credential current = members == null ? null : members.get(sid);
            if (current == null || !current.accountSid().canonical().equals(accountSid.canonical())) {
                return false;
            }
            members.remove(sid);
            usernames.get(list).remove(current.username());
            events.add(new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, accountSid.canonical(), sid, list));
            return true;
        });
    }

    // ---- IP access control lists and their entries ----------------------------------------------

    @Override
    public void insertIpAccessControlList(IpAccessControlList list) {
        write(events -> {
            Sid sid = list.sid().canonical();
            if (ipLists.containsKey(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            ipLists.put(sid, list);
            events.add(new ChangeEvent(ChangeEvent.Type.IP_ACCESS_CONTROL_LIST_CHANGED, list.accountSid(), sid, null));
            return null;
        });
    }

    @Override
    public boolean updateIpAccessControlList(IpAccessControlList list) {
        return write(events -> {
            Sid sid = list.sid().canonical();
            if (ownedIpList(list.accountSid(), sid).isEmpty()) {
                return false;
            }
            ipLists.put(sid, list);
            events.add(new ChangeEvent(ChangeEvent.Type.IP_ACCESS_CONTROL_LIST_CHANGED, list.accountSid(), sid, null));
            return true;
        });
    }

    @Override
    public Optional<IpAccessControlList> findIpAccessControlList(Sid accountSid, Sid listSid) {
        return read(() -> ownedIpList(accountSid.canonical(), listSid.canonical()));
    }

    @Override
    public List<IpAccessControlList> listIpAccessControlLists(Sid accountSid, PageQuery query) {
        return read(() -> slice(owned(ipLists.values(), IpAccessControlList::accountSid, accountSid.canonical()),
                IpAccessControlList::dateCreated, IpAccessControlList::sid, query));
    }

    @Override
    public boolean deleteIpAccessControlList(Sid accountSid, Sid listSid) {
        return write(events -> {
            Sid sid = listSid.canonical();
            Sid account = accountSid.canonical();
            if (ownedIpList(account, sid).isEmpty()) {
                return false;
            }
            Map<Sid, IpAddress> entries = ipAddresses.remove(sid);
            if (entries != null) {
                for (IpAddress a : sorted(entries.values(), IpAddress::dateCreated, IpAddress::sid)) {
                    events.add(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_DELETED, account, a.sid(), sid));
                }
            }
            removeMappings(mappings.values().stream().filter(row -> row.listSid().equals(sid)).toList(), events);
            ipLists.remove(sid);
            events.add(new ChangeEvent(ChangeEvent.Type.IP_ACCESS_CONTROL_LIST_DELETED, account, sid, null));
            return true;
        });
    }

    private Optional<IpAccessControlList> ownedIpList(Sid accountSid, Sid listSid) {
        return Optional.ofNullable(ipLists.get(listSid.canonical()))
                .filter(l -> l.accountSid().equals(accountSid.canonical()));
    }

    @Override
    public void insertIpAddress(IpAddress address) {
        write(events -> {
            Sid sid = address.sid().canonical();
            Sid list = address.ipAccessControlListSid();
            if (ownedIpList(address.accountSid(), list).isEmpty()) {
                throw new MissingReferenceException("IP access control list " + list);
            }
            Map<Sid, IpAddress> entries = ipAddresses.computeIfAbsent(list, k -> new HashMap<>());
            if (entries.containsKey(sid)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            entries.put(sid, address);
            events.add(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_CHANGED, address.accountSid(), sid, list));
            return null;
        });
    }

    @Override
    public boolean updateIpAddress(IpAddress address) {
        return write(events -> {
            Sid sid = address.sid().canonical();
            Sid list = address.ipAccessControlListSid();
            Map<Sid, IpAddress> entries = ipAddresses.get(list);
            IpAddress current = entries == null ? null : entries.get(sid);
            if (current == null || !current.accountSid().equals(address.accountSid())) {
                return false;
            }
            entries.put(sid, address);
            events.add(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_CHANGED, address.accountSid(), sid, list));
            return true;
        });
    }

    @Override
    public Optional<IpAddress> findIpAddress(Sid accountSid, Sid listSid, Sid ipAddressSid) {
        return read(() -> Optional.ofNullable(ipAddresses.getOrDefault(listSid.canonical(), Map.of())
                        .get(ipAddressSid.canonical()))
                .filter(a -> a.accountSid().equals(accountSid.canonical())));
    }

    @Override
    public List<IpAddress> listIpAddresses(Sid accountSid, Sid listSid, PageQuery query) {
        return read(() -> ownedIpList(accountSid, listSid).isEmpty() ? List.of()
                : slice(ipAddresses.getOrDefault(listSid.canonical(), Map.of()).values(), IpAddress::dateCreated,
                        IpAddress::sid, query));
    }

    @Override
    public boolean deleteIpAddress(Sid accountSid, Sid listSid, Sid ipAddressSid) {
        return write(events -> {
            Sid list = listSid.canonical();
            Map<Sid, IpAddress> entries = ipAddresses.get(list);
            IpAddress current = entries == null ? null : entries.get(ipAddressSid.canonical());
            if (current == null || !current.accountSid().equals(accountSid.canonical())) {
                return false;
            }
            entries.remove(current.sid());
            events.add(new ChangeEvent(ChangeEvent.Type.IP_ADDRESS_DELETED, current.accountSid(), current.sid(), list));
            return true;
        });
    }

    // ---- mappings -------------------------------------------------------------------------------

    @Override
    public CredentialListMapping insertMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid,
                                               Instant dateCreated) {
        return insertAnyMapping(kind, accountSid, targetSid, listSid, dateCreated,
                list -> ownedList(accountSid.canonical(), list).map(CredentialList::friendlyName), MemoryStore::toMapping);
    }

    @Override
    public Optional<CredentialListMapping> findMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return findAnyMapping(kind, accountSid, targetSid, listSid, MemoryStore::toMapping);
    }

    @Override
    public List<CredentialListMapping> listMappings(MappingKind kind, Sid accountSid, Sid targetSid, PageQuery query) {
        return read(() -> slice(mappingRows(kind, SidKind.CREDENTIAL_LIST, accountSid, targetSid, MemoryStore::toMapping),
                CredentialListMapping::dateCreated, CredentialListMapping::credentialListSid, query));
    }

    @Override
    public boolean deleteMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return deleteAnyMapping(kind, accountSid, targetSid, listSid);
    }

    @Override
    public IpAccessControlListMapping insertIpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid,
                                                                       Sid listSid, Instant dateCreated) {
        return insertAnyMapping(kind, accountSid, targetSid, listSid, dateCreated,
                list -> ownedIpList(accountSid.canonical(), list).map(IpAccessControlList::friendlyName),
                MemoryStore::toIpMapping);
    }

    @Override
    public Optional<IpAccessControlListMapping> findIpAccessControlListMapping(MappingKind kind, Sid accountSid,
                                                                               Sid targetSid, Sid listSid) {
        return findAnyMapping(kind, accountSid, targetSid, listSid, MemoryStore::toIpMapping);
    }

    @Override
    public List<IpAccessControlListMapping> listIpAccessControlListMappings(MappingKind kind, Sid accountSid,
                                                                            Sid targetSid, PageQuery query) {
        return read(() -> slice(mappingRows(kind, SidKind.IP_ACCESS_CONTROL_LIST, accountSid, targetSid,
                        MemoryStore::toIpMapping),
                IpAccessControlListMapping::dateCreated, IpAccessControlListMapping::ipAccessControlListSid, query));
    }

    @Override
    public boolean deleteIpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return deleteAnyMapping(kind, accountSid, targetSid, listSid);
    }

    /** Builds the public record of a mapping row from its list's friendly name. */
    @FunctionalInterface
    private interface MappingView<M> {
        M of(MappingRow row, String friendlyName);
    }

    private <M> M insertAnyMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid, Instant dateCreated,
                                   Function<Sid, Optional<String>> listName, MappingView<M> view) {
        return write(events -> {
            Sid target = targetSid.canonical();
            Sid list = listSid.canonical();
            boolean targetExists = (kind == MappingKind.TRUNK ? trunks.owned(accountSid, target)
                    : domains.owned(accountSid, target)).isPresent();
            if (!targetExists) {
                throw new MissingReferenceException(kind.targetKind() + " " + target);
            }
            String name = listName.apply(list).orElseThrow(() -> new MissingReferenceException("list " + list));
            MappingId id = new MappingId(kind, target, list);
            if (mappings.containsKey(id)) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.MAPPING);
            }
            MappingRow row = new MappingRow(kind, accountSid.canonical(), target, list, dateCreated);
            putMapping(id, row);
            events.add(new ChangeEvent(ChangeEvent.Type.MAPPING_CHANGED, accountSid.canonical(), list, target));
            return view.of(row, name);
        });
    }

    private <M> Optional<M> findAnyMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid,
                                           MappingView<M> view) {
        return read(() -> Optional.ofNullable(mappings.get(new MappingId(kind, targetSid.canonical(), listSid.canonical())))
                .filter(row -> row.accountSid().equals(accountSid.canonical()))
                .map(row -> view.of(row, listName(row.listSid()))));
    }

    private <M> List<M> mappingRows(MappingKind kind, SidKind listKind, Sid accountSid, Sid targetSid,
                                    MappingView<M> view) {
        List<M> all = new ArrayList<>();
        for (MappingRow row : mappingsOfTarget(targetSid.canonical())) {
            if (row.kind() == kind && row.listSid().kind() == listKind && row.accountSid().equals(accountSid.canonical())) {
                all.add(view.of(row, listName(row.listSid())));
            }
        }
        return all;
    }

    private boolean deleteAnyMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid) {
        return write(events -> {
            MappingId id = new MappingId(kind, targetSid.canonical(), listSid.canonical());
            MappingRow row = mappings.get(id);
            if (row == null || !row.accountSid().equals(accountSid.canonical())) {
                return false;
            }
            removeMapping(id);
            events.add(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, accountSid.canonical(), id.listSid(), id.targetSid()));
            return true;
        });
    }

    /** The current friendly name of a mapped list of either kind. */
    private String listName(Sid listSid) {
        return listSid.kind() == SidKind.CREDENTIAL_LIST ? lists.get(listSid).friendlyName()
                : ipLists.get(listSid).friendlyName();
    }

    private void removeMappings(List<MappingRow> rows, List<ChangeEvent> events) {
        List<MappingRow> doomed = rows.stream().sorted(MAPPING_ORDER).toList();
        for (MappingRow row : doomed) {
            removeMapping(new MappingId(row.kind(), row.targetSid(), row.listSid()));
            events.add(new ChangeEvent(ChangeEvent.Type.MAPPING_DELETED, row.accountSid(), row.listSid(), row.targetSid()));
        }
    }

    private static CredentialListMapping toMapping(MappingRow row, String friendlyName) {
        return new CredentialListMapping(row.kind(), row.accountSid(), row.targetSid(), row.listSid(),
                friendlyName, row.dateCreated(), row.dateCreated());
    }

    private static IpAccessControlListMapping toIpMapping(MappingRow row, String friendlyName) {
        return new IpAccessControlListMapping(row.kind(), row.accountSid(), row.targetSid(), row.listSid(),
                friendlyName, row.dateCreated(), row.dateCreated());
    }

    // ---- origination URLs ------------------------------------------------------------------------

    @Override
    public List<OriginationUrl> originationUrlsOf(Sid targetSid) {
        return read(() -> sorted(originationUrls.getOrDefault(targetSid.canonical(), Map.of()).values(),
                OriginationUrl::dateCreated, OriginationUrl::sid));
    }

    @Override
    public boolean insertOriginationUrl(OriginationUrl url, int maxPerTarget) {
        return write(events -> {
            Sid target = url.targetSid();
            boolean targetExists = (target.kind() == SidKind.TRUNK ? trunks.owned(url.accountSid(), target)
                    : domains.owned(url.accountSid(), target)).isPresent();
            if (!targetExists) {
                throw new MissingReferenceException(target.kind() + " " + target);
            }
            Map<Sid, OriginationUrl> urls = originationUrls.computeIfAbsent(target, k -> new HashMap<>());
            if (urls.containsKey(url.sid())) {
                throw new DuplicateKeyException(DuplicateKeyException.Key.SID);
            }
            if (urls.size() >= maxPerTarget) {
                return false;
            }
            urls.put(url.sid(), url);
            events.add(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_CHANGED, url.accountSid(), url.sid(), target));
            return true;
        });
    }

    @Override
    public boolean updateOriginationUrl(OriginationUrl url) {
        return write(events -> {
            Map<Sid, OriginationUrl> urls = originationUrls.get(url.targetSid());
            OriginationUrl current = urls == null ? null : urls.get(url.sid());
            if (current == null || !current.accountSid().equals(url.accountSid())) {
                return false;
            }
            urls.put(url.sid(), url);
            events.add(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_CHANGED, url.accountSid(), url.sid(),
                    url.targetSid()));
            return true;
        });
    }

    @Override
    public Optional<OriginationUrl> findOriginationUrl(Sid accountSid, Sid targetSid, Sid sid) {
        return read(() -> Optional.ofNullable(originationUrls.getOrDefault(targetSid.canonical(), Map.of())
                .get(sid.canonical())).filter(u -> u.accountSid().equals(accountSid.canonical())));
    }

    @Override
    public List<OriginationUrl> listOriginationUrls(Sid accountSid, Sid targetSid, PageQuery query) {
        return read(() -> slice(owned(originationUrls.getOrDefault(targetSid.canonical(), Map.of()).values(),
                OriginationUrl::accountSid, accountSid.canonical()), OriginationUrl::dateCreated, OriginationUrl::sid, query));
    }

    @Override
    public boolean deleteOriginationUrl(Sid accountSid, Sid targetSid, Sid sid) {
        return write(events -> {
            Sid target = targetSid.canonical();
            Map<Sid, OriginationUrl> urls = originationUrls.get(target);
            OriginationUrl current = urls == null ? null : urls.get(sid.canonical());
            if (current == null || !current.accountSid().equals(accountSid.canonical())) {
                return false;
            }
            urls.remove(current.sid());
            if (urls.isEmpty()) {
                originationUrls.remove(target);
            }
            events.add(new ChangeEvent(ChangeEvent.Type.ORIGINATION_URL_DELETED, current.accountSid(), current.sid(),
                    target));
            return true;
        });
    }

    // ---- change feed and plumbing --------------------------------------------------------------

    @Override
    public AutoCloseable subscribe(Consumer<ChangeEvent> listener) {
        return feed.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        // nothing to release
    }

    private <T> T read(java.util.function.Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs a write under the exclusive lock. The body checks every rule before it changes
     * anything, so a thrown exception leaves the state untouched; its events are published, still
     * under the lock, only when it returns normally.
     */
    private <T> T write(Function<List<ChangeEvent>, T> body) {
        lock.writeLock().lock();
        try {
            List<ChangeEvent> events = new ArrayList<>();
            T result = body.apply(events);
            feed.publish(events);
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static <T> List<T> owned(Collection<T> all, Function<T, Sid> accountOf, Sid accountSid) {
        List<T> mine = new ArrayList<>();
        for (T item : all) {
            if (accountOf.apply(item).equals(accountSid.canonical())) {
                mine.add(item);
            }
        }
        return mine;
    }

    private static <T> List<T> sorted(Collection<T> items, Function<T, Instant> dateOf, Function<T, Sid> sidOf) {
        List<T> list = new ArrayList<>(items);
        list.sort(Comparator.comparing(dateOf).thenComparing(t -> sidOf.apply(t).canonical().value()));
        return list;
    }

    private static <T> List<T> slice(Collection<T> items, Function<T, Instant> dateOf, Function<T, Sid> sidOf,
                                     PageQuery query) {
        List<T> ordered = sorted(items, dateOf, sidOf);
        Function<T, PageQuery.Key> keyOf = t -> PageQuery.Key.of(dateOf.apply(t), sidOf.apply(t));
        if (query.after() != null) {
            List<T> out = new ArrayList<>(query.limit());
            for (T item : ordered) {
                if (keyOf.apply(item).compareTo(query.after()) > 0) {
                    out.add(item);
                    if (out.size() == query.limit()) {
                        break;
                    }
                }
            }
            return out;
        }
        if (query.before() != null) {
            int end = 0;
            while (end < ordered.size() && keyOf.apply(ordered.get(end)).compareTo(query.before()) < 0) {
                end++;
            }
            return List.copyOf(ordered.subList(Math.max(0, end - query.limit()), end));
        }
        int from = Math.min(query.offset(), ordered.size());
        int to = (int) Math.min((long) from + query.limit(), ordered.size());
        return List.copyOf(ordered.subList(from, to));
    }
}
