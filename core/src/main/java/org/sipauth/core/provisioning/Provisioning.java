package org.sipauth.core.provisioning;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import org.sipauth.core.store.Store;

/**
 * The provisioning API: every service wired to one {@link Store}, clock and realm. Thread-safe.
 *
 * <pre>{@code
 * Provisioning p = Provisioning.builder().store(new MemoryStore()).realm("sip.example.com").build();
 * CredentialList list = p.credentialLists().create(account, "staff");
 * }</pre>
 */
public final class Provisioning {

    private final Context context;
    private final AccountService accounts;
    private final TrunkService trunks;
    private final SipDomainService sipDomains;
    private final CredentialListService credentialLists;
    private final CredentialService credentials;
    private final CredentialListMappingService mappings;
    private final OriginationUrlService originationUrls;
    private final IpAccessControlListService ipAccessControlLists;
    private final IpAddressService ipAddresses;
    private final IpAccessControlListMappingService ipAccessControlListMappings;

    private Provisioning(Context context) {
        this.context = context;
        this.accounts = new AccountService(context);
        this.trunks = new TrunkService(context);
        this.sipDomains = new SipDomainService(context);
        this.credentialLists = new CredentialListService(context);
        this.credentials = new CredentialService(context);
        this.mappings = new CredentialListMappingService(context);
        this.originationUrls = new OriginationUrlService(context);
        this.ipAccessControlLists = new IpAccessControlListService(context);
        this.ipAddresses = new IpAddressService(context);
        this.ipAccessControlListMappings = new IpAccessControlListMappingService(context);
    }

    public static Builder builder() {
        return new Builder();
    }

    public AccountService accounts() {
        return accounts;
    }

    public TrunkService trunks() {
        return trunks;
    }

    public SipDomainService sipDomains() {
        return sipDomains;
    }

    public CredentialListService credentialLists() {
        return credentialLists;
    }

    public CredentialService credentials() {
        return credentials;
    }

    public CredentialListMappingService mappings() {
        return mappings;
    }

    /** Origination URLs of trunks and SIP domains (the destinations of proxy and redirect mode). */
    public OriginationUrlService originationUrls() {
        return originationUrls;
    }

    public IpAccessControlListService ipAccessControlLists() {
        return ipAccessControlLists;
    }

    public IpAddressService ipAddresses() {
        return ipAddresses;
    }

    public IpAccessControlListMappingService ipAccessControlListMappings() {
        return ipAccessControlListMappings;
    }

    public Store store() {
        return context.store();
    }

    /** The digest realm every HA1 is computed for. */
    public String realm() {
        return context.realm();
    }

    /** Configures a {@link Provisioning}; {@link #store} and {@link #realm} are required. */
    public static final class Builder {
        private Store store;
        private Clock clock = Clock.systemUTC();
        private String realm;
        private String requiredDomainSuffix;

        private Builder() {
        }

        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The digest realm; non-empty, no quote, backslash or control character. */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (realm.isEmpty() || realm.chars().anyMatch(c -> c == '"' || c == '\\' || Character.isISOControl(c))) {
                throw new IllegalArgumentException("realm must be non-empty without quotes, backslashes or control characters");
            }
            this.realm = realm;
            return this;
        }

        /**
         * Optional: every trunk and domain name must end with this suffix (e.g.
         * {@code ".sip.example.com"}), compared case-insensitively. Null means any host name.
         */
        public Builder requiredDomainSuffix(String suffix) {
            if (suffix != null && suffix.isEmpty()) {
                suffix = null;
            }
            this.requiredDomainSuffix = suffix == null ? null : suffix.toLowerCase(Locale.ROOT);
            return this;
        }

        public Provisioning build() {
            if (store == null) {
                throw new IllegalStateException("store is required");
            }
            if (realm == null) {
                throw new IllegalStateException("realm is required");
            }
            return new Provisioning(new Context(store, clock, realm, requiredDomainSuffix));
        }
    }
}
