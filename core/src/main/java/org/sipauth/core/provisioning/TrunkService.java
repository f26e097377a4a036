package org.sipauth.core.provisioning;

import static org.sipauth.core.provisioning.ApiException.TRUNK_DOMAIN_TAKEN;
import static org.sipauth.core.provisioning.ApiException.TRUNK_INVALID;
import static org.sipauth.core.provisioning.Validation.emptyToNull;
import static org.sipauth.core.provisioning.Validation.orElse;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.DuplicateKeyException;
import org.sipauth.core.store.PageQuery;
import org.sipauth.core.store.Store;

/**
 * Trunks (Twilio trunking v1 {@code /v1/Trunks}). Every method takes the authenticated account
 * first; another account's trunk is a 404. Validation errors are 400 with code
 * {@value ApiException#TRUNK_INVALID}; a taken domain name is {@value ApiException#TRUNK_DOMAIN_TAKEN}.
 * Thread-safe.
 */
public final class TrunkService {

    private static final String[] TRANSFER_MODES = {"disable-all", "enable-all", "sip-only"};
    private static final String[] TRANSFER_CALLER_IDS = {"from-transferee", "from-transferor"};

    private final Context context;
    private final Resources<Trunk> trunks;

    TrunkService(Context context) {
        this.context = context;
        Store store = context.store();
        this.trunks = new Resources<>(SidKind.TRUNK, t -> PageQuery.Key.of(t.dateCreated(), t.sid()),
                store::insertTrunk, store::updateTrunk, store::findTrunk, store::listTrunks, store::deleteTrunk,
                TrunkService::duplicate);
    }

    public Trunk create(Sid accountSid, TrunkInput input) {
        Objects.requireNonNull(input, "input");
        Instant now = context.now();
        return trunks.create(apply(new Trunk(Sid.random(SidKind.TRUNK), accountSid, null, null, null, null,
                Trunk.TRANSFER_MODE_DEFAULT, false, false, Trunk.TRANSFER_CALLER_ID_DEFAULT, false, null, now, now),
                input, now));
    }

    public Trunk fetch(Sid accountSid, String trunkSid) {
        return trunks.fetch(accountSid, trunkSid);
    }

    public Page<Trunk> list(Sid accountSid, PageRequest request) {
        return trunks.list(accountSid, request);
    }

    public Trunk update(Sid accountSid, String trunkSid, TrunkInput input) {
        Objects.requireNonNull(input, "input");
        Trunk current = fetch(accountSid, trunkSid);
        return trunks.update(trunkSid, apply(current, input, context.now()));
    }

    public void delete(Sid accountSid, String trunkSid) {
        trunks.delete(accountSid, trunkSid);
    }

    /** {@code auth_type} of the trunk: whether an IP access control list and a credential list are mapped to it. */
    public AuthTypes authTypes(Trunk trunk) {
        return Targets.authTypes(context.store(), MappingKind.TRUNK, trunk.accountSid(), trunk.sid());
    }

    private Trunk apply(Trunk t, TrunkInput in, Instant now) {
        String friendlyName = in.friendlyName() == null ? t.friendlyName()
                : emptyToNull(Validation.friendlyName(in.friendlyName(), TRUNK_INVALID));
        String domainName = t.domainName();
        if (in.domainName() != null) {
            domainName = in.domainName().isEmpty() ? null
                    : Validation.domainName(in.domainName(), context.requiredDomainSuffix(), TRUNK_INVALID);
        }
        String drUrl = in.disasterRecoveryUrl() == null ? t.disasterRecoveryUrl()
                : Validation.url(in.disasterRecoveryUrl(), "DisasterRecoveryUrl", TRUNK_INVALID);
        String drMethod = in.disasterRecoveryMethod() == null ? t.disasterRecoveryMethod()
                : in.disasterRecoveryMethod().isEmpty() ? null
                : Validation.method(in.disasterRecoveryMethod(), "DisasterRecoveryMethod", TRUNK_INVALID);
        String transferMode = orElse(Validation.oneOf(in.transferMode(), "TransferMode", TRUNK_INVALID, TRANSFER_MODES),
                t.transferMode());
        boolean secure = orElse(Validation.bool(in.secure(), "Secure", TRUNK_INVALID), t.secure());
        boolean cnam = orElse(Validation.bool(in.cnamLookupEnabled(), "CnamLookupEnabled", TRUNK_INVALID),
                t.cnamLookupEnabled());
        String callerId = orElse(Validation.oneOf(in.transferCallerId(), "TransferCallerId", TRUNK_INVALID,
                TRANSFER_CALLER_IDS), t.transferCallerId());
        List<String> algorithms = in.digestAlgorithms() == null ? t.digestAlgorithms()
                : Validation.digestAlgorithms(in.digestAlgorithms(), TRUNK_INVALID);
        return new Trunk(t.sid(), t.accountSid(), friendlyName, domainName, drUrl, drMethod, transferMode,
                secure, cnam, callerId, t.symmetricRtpEnabled(), algorithms, t.dateCreated(), now);
    }

    private static ApiException duplicate(DuplicateKeyException e, Trunk trunk) {
        if (e.key() == DuplicateKeyException.Key.DOMAIN_NAME) {
            return ApiException.badRequest(TRUNK_DOMAIN_TAKEN, "DomainName " + trunk.domainName() + " is already in use");
        }
        throw e; // a SID collision among 128 random bits is a bug, not a client error
    }
}
