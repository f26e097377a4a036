package org.sipauth.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
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
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;

/**
 * The source of truth for provisioned resources. Implementations are thread-safe.
 *
 * <p>The read side below is what the authorization engine uses; the provisioning write side
 * follows. Every successful mutation is published to {@link #subscribe subscribers}
 * synchronously, after it is durable and before the mutating call returns.
 *
 * <p>Write-side contract (so that a SQL store implements it with constraints and one transaction
 * per call):
 * <ul>
 *   <li>Uniqueness is enforced atomically by the store: a violating insert/update throws
 *       {@link DuplicateKeyException} and changes nothing.</li>
 *   <li>A write that needs a parent (credential -> list, mapping -> target and list, all in the
 *       same account) throws {@link MissingReferenceException} when the parent is absent.</li>
 *   <li>Reads and deletes are scoped by account: another account's resource does not exist.</li>
 *   <li>{@code update*} and {@code delete*} return false when the row does not exist; a delete
 *       removes its dependants in the same call (trunk/domain -> its mappings of both kinds and its
 *       origination URLs; list -> its credentials or IP addresses and every mapping of it) and publishes
 *       one event per removed row,
 *       dependants first.</li>
 *   <li>Lists are ordered by {@code (dateCreated, sid)} and sliced by a {@link PageQuery}.
 *       Instants must round-trip with at least millisecond precision (provisioning truncates to
 *       milliseconds). Domain names are stored lowercase; SIDs in canonical (lowercase) form.</li>
 * </ul>
 * Events: inserts/updates publish {@code *_CHANGED} with {@code parentSid} = the list of a
 * credential or IP address, the target of a mapping or origination URL; deletes publish {@code *_DELETED} likewise. Both
 * kinds of mapping publish {@code MAPPING_*}; the event's {@code sid} (CL… or AL…) tells them apart.
 */
public interface Store extends AutoCloseable {

    // ---- engine read side -------------------------------------------------------------------

    /** Every trunk and SIP domain with its mapped credential lists (to build the host index). */
    List<AuthTarget> authTargets();

    /** The trunk or domain with this SID, or empty when it no longer exists. */
    Optional<AuthTarget> authTarget(Sid targetSid);

    /** All credentials of a credential list (any account), empty when the list does not exist. */
    List<Credential> credentialsOf(Sid credentialListSid);

    /** All entries of an IP access control list (any account), empty when the list does not exist. */
    List<IpAddress> ipAddressesOf(Sid ipAccessControlListSid);

    // ---- accounts -----------------------------------------------------------------------------

    Optional<Account> findAccount(Sid accountSid);

    /** Inserts a new account; {@link DuplicateKeyException} ({@code SID}) when it exists. */
    void insertAccount(Account account);

    /** Replaces the account with the same SID; false when absent. */
    boolean updateAccount(Account account);

    long accountCount();

    // ---- trunks -------------------------------------------------------------------------------

    /** {@link DuplicateKeyException}: {@code SID}, or {@code DOMAIN_NAME} when a trunk or domain has it. */
    void insertTrunk(Trunk trunk);

    /** Replaces the trunk (same SID and account); {@code DOMAIN_NAME} duplicates as for insert. */
    boolean updateTrunk(Trunk trunk);

    Optional<Trunk> findTrunk(Sid accountSid, Sid trunkSid);

    List<Trunk> listTrunks(Sid accountSid, PageQuery query);

    /** Deletes the trunk, its mappings (credential lists and IP access control lists) and its origination URLs. */
    boolean deleteTrunk(Sid accountSid, Sid trunkSid);

    // ---- SIP domains --------------------------------------------------------------------------

    /** {@link DuplicateKeyException}: {@code SID}, or {@code DOMAIN_NAME} when a trunk or domain has it. */
    void insertSipDomain(SipDomain domain);

    boolean updateSipDomain(SipDomain domain);

    Optional<SipDomain> findSipDomain(Sid accountSid, Sid domainSid);

    List<SipDomain> listSipDomains(Sid accountSid, PageQuery query);

    /** Deletes the domain, all its mappings (calls and registrations, both kinds of list) and its origination URLs. */
    boolean deleteSipDomain(Sid accountSid, Sid domainSid);

    // ---- credential lists ---------------------------------------------------------------------

    /** {@link DuplicateKeyException}: {@code SID}, or {@code FRIENDLY_NAME} within the account. */
    void insertCredentialList(CredentialList list);

    boolean updateCredentialList(CredentialList list);

    Optional<CredentialList> findCredentialList(Sid accountSid, Sid listSid);

    List<CredentialList> listCredentialLists(Sid accountSid, PageQuery query);

    /** Deletes the list, its credentials and every mapping of it, in one transaction. */
    boolean deleteCredentialList(Sid accountSid, Sid listSid);

    // ---- credentials --------------------------------------------------------------------------

    /**
     * {@link DuplicateKeyException}: {@code SID}, or {@code USERNAME} within the list;
     * {@link MissingReferenceException} when the list does not exist in the credential's account.
     */
    void insertCredential(Credential credential);

    /** Replaces the credential (same SID, account and list). */
    boolean updateCredential(Credential credential);

    Optional<Credential> findCredential(Sid accountSid, Sid listSid, Sid credentialSid);

    List<Credential> listCredentials(Sid accountSid, Sid listSid, PageQuery query);

    boolean deleteCredential(Sid accountSid, Sid listSid, Sid credentialSid);

    // ---- credential list mappings -------------------------------------------------------------

    /**
     * Maps a list to a target and returns the mapping with the list's friendly name.
     * {@link DuplicateKeyException} ({@code MAPPING}) when that list is already mapped to that
     * target with that kind; {@link MissingReferenceException} when the target or the list does
     * not exist in the account.
     */
    CredentialListMapping insertMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid, Instant dateCreated);

    Optional<CredentialListMapping> findMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid);

    List<CredentialListMapping> listMappings(MappingKind kind, Sid accountSid, Sid targetSid, PageQuery query);

    boolean deleteMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid);

    // ---- origination URLs ------------------------------------------------------------------------

    /**
     * Every origination URL of a trunk or SIP domain (any account), enabled or not, in
     * {@code (dateCreated, sid)} order; empty when the target does not exist. The read side of proxy mode.
     */
    List<OriginationUrl> originationUrlsOf(Sid targetSid);

    /**
     * Inserts an origination URL unless its target has {@code maxPerTarget} already; the count and
     * the insert are one atomic step, so concurrent inserts cannot pass the limit.
     * {@link MissingReferenceException} when the target does not exist in the URL's account.
     *
     * @return false, changing nothing, when the target is full
     */
    boolean insertOriginationUrl(OriginationUrl url, int maxPerTarget);

    /** Replaces the URL with the same SID, account and target; false when absent. */
    boolean updateOriginationUrl(OriginationUrl url);

    Optional<OriginationUrl> findOriginationUrl(Sid accountSid, Sid targetSid, Sid sid);

    List<OriginationUrl> listOriginationUrls(Sid accountSid, Sid targetSid, PageQuery query);

    boolean deleteOriginationUrl(Sid accountSid, Sid targetSid, Sid sid);
    // ---- IP access control lists -----------------------------------------------------------------

    /** {@link DuplicateKeyException}: {@code SID}. Friendly names need not be unique. */
    void insertIpAccessControlList(IpAccessControlList list);

    boolean updateIpAccessControlList(IpAccessControlList list);

    Optional<IpAccessControlList> findIpAccessControlList(Sid accountSid, Sid listSid);

    List<IpAccessControlList> listIpAccessControlLists(Sid accountSid, PageQuery query);

    /** Deletes the list, its IP addresses and every mapping of it, in one transaction. */
    boolean deleteIpAccessControlList(Sid accountSid, Sid listSid);

    // ---- IP addresses ------------------------------------------------------------------------------

    /**
     * {@link DuplicateKeyException}: {@code SID}; {@link MissingReferenceException} when the list does not
     * exist in the address's account.
     */
    void insertIpAddress(IpAddress address);

    /** Replaces the entry (same SID, account and list). */
    boolean updateIpAddress(IpAddress address);

    Optional<IpAddress> findIpAddress(Sid accountSid, Sid listSid, Sid ipAddressSid);

    List<IpAddress> listIpAddresses(Sid accountSid, Sid listSid, PageQuery query);

    boolean deleteIpAddress(Sid accountSid, Sid listSid, Sid ipAddressSid);

    // ---- IP access control list mappings (kinds TRUNK and DOMAIN_CALLS) ----------------------------

    /**
     * Maps an IP access control list to a target; as {@link #insertMapping}: {@code MAPPING} when that
     * list is already mapped there, {@link MissingReferenceException} for a missing target or list.
     */
    IpAccessControlListMapping insertIpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid,
                                                                Sid listSid, Instant dateCreated);

    Optional<IpAccessControlListMapping> findIpAccessControlListMapping(MappingKind kind, Sid accountSid,
                                                                        Sid targetSid, Sid listSid);

    List<IpAccessControlListMapping> listIpAccessControlListMappings(MappingKind kind, Sid accountSid, Sid targetSid,
                                                                     PageQuery query);

    boolean deleteIpAccessControlListMapping(MappingKind kind, Sid accountSid, Sid targetSid, Sid listSid);

    // ---- change feed ---------------------------------------------------------------------------

    /** Registers a listener for every committed mutation; returns a handle that unsubscribes. */
    AutoCloseable subscribe(Consumer<ChangeEvent> listener);

    // ---- health --------------------------------------------------------------------------------

    /**
     * Whether the store answers now and its change feed is connected, for a readiness probe. Cheap
     * (no table is read) but it may wait for the database: call it from a thread that can wait,
     * at most every second or so, not per request. The default, for a store in memory, is true.
     */
    default boolean isReachable() {
        return true;
    }

    @Override
    void close();
}
