package org.sipauth.core.authz;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.digest.DigestFields;
import org.sipauth.core.digest.DigestHeaders;
import org.sipauth.core.digest.DigestOffer;
import org.sipauth.core.digest.DigestResponse;
import org.sipauth.core.digest.NonceCodec;
import org.sipauth.core.digest.ReplayGuard;
import org.sipauth.core.lookup.CredentialLookup;
import org.sipauth.core.lookup.IndexedTarget;
import org.sipauth.core.lookup.IpRanges;
import org.sipauth.core.model.Sid;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.store.AuthTarget;
import org.sipauth.core.store.Store;

/**
 * The digest authorization engine: decides whether a SIP request (an INVITE, typically) may pass,
 * must be challenged, or is rejected, against the credential lists mapped to the trunk or SIP
 * domain that owns its Request-URI host.
 *
 * <pre>{@code
 * InviteAuthorizer authorizer = InviteAuthorizer.builder()
 *         .provisioning(provisioning)     // its store, and the realm the credentials were provisioned for
 *         .build();
 * AuthDecision decision = authorizer.authorize(request);
 * }</pre>
 *
 * <p>Thread-safe; one instance serves every SIP thread. It subscribes to the store's change feed
 * when built, so a change acknowledged by the store is effective on the next call; {@link #close}
 * unsubscribes. {@code authorize} throws only for a store outage (a
 * {@link org.sipauth.core.store.StoreException}); bad input is always a decision.
 *
 * <p>Challenges offer the {@link Builder#algorithms configured algorithms}, unless the trunk or SIP
 * domain addressed has a list of its own ({@code Trunk.digestAlgorithms()},
 * {@code SipDomain.digestAlgorithms()}): then they offer that list, and only an answer with one of
 * its algorithms can pass.
 */
public final class InviteAuthorizer implements AutoCloseable {

    private final String realm;
    private final List<String> qops;
    private final boolean allowNoQop;
    private final String opaque;
    private final Clock clock;
    private final NonceCodec nonces;
    private final ReplayGuard replay;
    private final Throttle throttle;
    private final CredentialLookup lookup;
    private final Map<Reason, Integer> deniedStatus;
    private final Map<Reason, AuthDecision.Denied> denials = new EnumMap<>(Reason.class);
    private final byte[] dummyHa1 = new byte[DigestAlgorithm.PACKED_HA1_LENGTH];
    private final AutoCloseable subscription;

    private InviteAuthorizer(Builder b) {
        this.realm = b.realm;
        this.qops = List.copyOf(b.qops);
        this.allowNoQop = b.allowNoQop;
        this.opaque = b.opaque;
        this.clock = b.clock;
        Map<Integer, byte[]> keys = b.nonceKeys;
        int issuing = b.issuingKeyId;
        if (keys.isEmpty()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            keys = Map.of(0, secret);
            issuing = 0;
        }
        this.nonces = new NonceCodec(keys, issuing, realm, b.nonceTtl.toMillis(), b.bindNonceToSource);
        this.replay = b.replayProtection ? new ReplayGuard(b.nonceTtl.toMillis(), b.replayCacheSize) : null;
        int perSourceUsername = b.throttleSourceUsernameLimit >= 0 ? b.throttleSourceUsernameLimit
                : (b.throttleMaxFailures + 1) / 2;
        int perUsername = b.throttleUsernameLimit >= 0 ? b.throttleUsernameLimit
                : (int) Math.min(5L * b.throttleMaxFailures, Integer.MAX_VALUE);
        this.throttle = new Throttle(clock, b.throttleWindow.toMillis(), b.throttleCooldown.toMillis(),
                b.throttleMaxFailures, perSourceUsername, perUsername, b.throttleMaxSources);
        this.deniedStatus = Map.copyOf(b.deniedStatus);
        for (Map.Entry<Reason, Integer> e : deniedStatus.entrySet()) {
            denials.put(e.getKey(), new AuthDecision.Denied(e.getValue(), e.getKey()));
        }
        new SecureRandom().nextBytes(dummyHa1);
        this.lookup = new CredentialLookup(b.store, realm, b.algorithms, b.maxCachedCredentials, b.cacheTtl);
        // Subscribe before the first read, so that no change can slip between load and subscription.
        this.subscription = b.store.subscribe(lookup::onChange);
    }

    /** A builder with the defaults listed on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Decides one request. Never throws for bad input; see the class comment. */
    public AuthDecision authorize(AuthRequest request) {
        IndexedTarget indexed = lookup.target(request.requestUriHost());
        if (indexed == null) {
            return denied(Reason.UNKNOWN_TARGET);
        }
        AuthTarget target = indexed.target();
        DigestOffer offer = indexed.offer();
        List<Sid> lists = CredentialLookup.lists(target, request.method());
        IpRanges sources = CredentialLookup.sources(indexed, request.method());
        if (lists.isEmpty() && sources == null) {
            return denied(Reason.NO_CREDENTIAL_LIST);
        }
        long now = clock.millis();
        // Twilio's order: the IP access control lists first (a source outside is refused at once, with
        // no challenge to answer), then the digest when credential lists are mapped too.
        if (sources != null && !sources.contains(request.source())) {
            throttle.sourceFailure(request.source(), now);
            return denied(Reason.SOURCE_NOT_ALLOWED);
        }
        if (throttle.blocked(request.source(), now)) {
            return denied(Reason.THROTTLED);
        }
        if (lists.isEmpty()) {
            return AuthDecision.Allowed.bySource(target.sid());
        }
        DigestFields credentials = null;
        for (String value : request.credentials()) {
            DigestFields scanned = DigestFields.scan(value);
            if (scanned.status() == DigestHeaders.Status.MALFORMED) {
                return denied(Reason.MALFORMED);
            }
            if (scanned.status() == DigestHeaders.Status.OK && scanned.realmIs(realm)) {
                credentials = scanned;
                break;
            }
        }
        if (credentials == null) {
            return challenge(offer, request, now, false, Reason.NO_CREDENTIALS);
        }
        DigestAlgorithm algorithm = credentials.algorithm();
        // The target's offer, not the server-wide one: an answer with an algorithm this target does
        // not offer (say MD5 where it offers SHA-256 alone) is challenged again, never verified.
        if (algorithm == null || !offer.offers(algorithm)) {
            return challenge(offer, request, now, false, Reason.UNSUPPORTED_ALGORITHM);
        }
        String qop = credentials.qop();
        if (qop == null ? !allowNoQop : !qops.contains(qop)) {
            return denied(Reason.MALFORMED);
        }
        if (!credentials.uriIs(request.requestUri())) {
            return denied(Reason.URI_MISMATCH);
        }
        if (opaque != null && !credentials.opaqueIs(opaque)) {
            return challenge(offer, request, now, false, Reason.INVALID_NONCE);
        }
        String username = credentials.username();
        if (throttle.blocked(request.source(), target.sid(), username, now)) {
            return denied(Reason.THROTTLED);
        }
        long issuedAt = credentials.verifyNonce(nonces, request.source(), now);
        if (issuedAt == NonceCodec.STALE) {
            return challenge(offer, request, now, true, Reason.STALE_NONCE);
        }
        if (issuedAt == NonceCodec.INVALID) {
            return challenge(offer, request, now, false, Reason.INVALID_NONCE);
        }
        boolean withQop = qop != null;
        long nc = credentials.nc();
        String nonce = replay == null ? null : credentials.nonce();
        if (replay != null && !replay.isFresh(nonce, issuedAt, nc, withQop)) {
            return challenge(offer, request, now, false, Reason.REPLAY);
        }
        Sid matchedList = match(credentials, username, request, lists, algorithm, now);
        if (matchedList == null) {
            throttle.failure(request.source(), target.sid(), username, now);
            return challenge(offer, request, now, false, Reason.BAD_CREDENTIALS);
        }
        if (replay != null && !replay.commit(nonce, issuedAt, nc, withQop, now)) {
            return challenge(offer, request, now, false, Reason.REPLAY);
        }
        throttle.success(request.source(), target.sid(), username);
        return new AuthDecision.Allowed(username, matchedList, target.sid());
    }

    /** The list whose HA1 for the username produces the response, or null; unknown users cost one hash too. */
    private Sid match(DigestFields c, String username, AuthRequest request, List<Sid> lists, DigestAlgorithm algorithm,
                      long now) {
        byte[] body = request.body().bytes();
        int offset = algorithm.ha1Offset();
        Sid matched = null;
        boolean tried = false;
        for (int i = 0; i < lists.size(); i++) {
            Sid list = lists.get(i);
            byte[] ha1 = lookup.ha1(list, username, now);
            if (ha1 != null) {
                tried = true;
                if (DigestResponse.matches(c, request.method(), ha1, offset, body) && matched == null) {
                    matched = list;
                }
            }
        }
        if (!tried) {
            // Same hashing work as a known username, so timing does not reveal which usernames exist.
            DigestResponse.matches(c, request.method(), dummyHa1, offset, body);
        }
        return matched;
    }

    private AuthDecision denied(Reason reason) {
        return denials.get(reason);
    }

    /** One challenge per algorithm of {@code offer}, in its order. */
    private AuthDecision.Challenge challenge(DigestOffer offer, AuthRequest request, long now, boolean stale,
                                             Reason reason) {
        int status = request.role() == Role.PROXY ? 407 : 401;
        List<DigestAlgorithm> algorithms = offer.algorithms();
        List<DigestChallenge> challenges;
        if (algorithms.size() == 1) {
            challenges = List.of(challenge(algorithms.get(0), request, now, stale));
        } else {
            DigestChallenge[] values = new DigestChallenge[algorithms.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = challenge(algorithms.get(i), request, now, stale);
            }
            challenges = List.of(values);
        }
        return new AuthDecision.Challenge(status, challenges, reason);
    }

    private DigestChallenge challenge(DigestAlgorithm algorithm, AuthRequest request, long now, boolean stale) {
        return new DigestChallenge(realm, nonces.mint(algorithm, request.source(), now), opaque, algorithm.token(), qops,
                stale);
    }

    /** The realm of every challenge. */
    public String realm() {
        return realm;
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

    /** The engine's read side (targets and HA1 tables), for tests in this package. */
    CredentialLookup lookup() {
        return lookup;
    }

    /** The brute-force throttle, for operators: the keys it refuses, and releasing them. */
    public Throttle throttle() {
        return throttle;
    }

    /**
     * Builds an {@link InviteAuthorizer}. Every setter checks its argument and throws
     * {@link IllegalArgumentException} (or NPE for null) with a precise message; {@link #build}
     * checks the combination.
     */
    public static final class Builder {
        private Provisioning provisioning;
        private Store store;
        private String realm;
        private DigestOffer algorithms = DigestOffer.parse(List.of(DigestAlgorithm.MD5.token()));
        private final Map<Integer, byte[]> nonceKeys = new LinkedHashMap<>();
        private int issuingKeyId = -1;
        private Duration nonceTtl = Duration.ofSeconds(300);
        private boolean bindNonceToSource = true;
        private Clock clock = Clock.systemUTC();
        private boolean replayProtection = true;
        private long replayCacheSize = 100_000;
        private boolean allowNoQop;
        private List<String> qops = List.of(DigestHeaders.QOP_AUTH);
        private String opaque;
        private int throttleMaxFailures = 10;
        private Duration throttleWindow = Duration.ofSeconds(60);
        private Duration throttleCooldown = Duration.ofSeconds(60);
        private int throttleMaxSources = 100_000;
        private int throttleSourceUsernameLimit = -1;
        private int throttleUsernameLimit = -1;
        private final Map<Reason, Integer> deniedStatus = new EnumMap<>(Map.of(
                Reason.UNKNOWN_TARGET, 404,
                Reason.NO_CREDENTIAL_LIST, 403,
                Reason.SOURCE_NOT_ALLOWED, 403,
                Reason.THROTTLED, 403,
                Reason.MALFORMED, 400,
                Reason.URI_MISMATCH, 400));
        private long maxCachedCredentials = 2_000_000;
        private Duration cacheTtl = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * The provisioning services whose store and realm the engine uses: the realm is then given
         * once, where the credentials' HA1s are computed. Instead of {@link #store} and {@link #realm}.
         */
        public Builder provisioning(Provisioning provisioning) {
            this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
            return this;
        }

        /** Where targets and credentials come from; required unless {@link #provisioning} is given. */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The realm of challenges, for a store provisioned elsewhere; required unless
         * {@link #provisioning} is given. It must be the realm the credentials' HA1s were computed
         * for: credentials of another realm never verify.
         */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (realm.isBlank()) {
                throw new IllegalArgumentException("realm must not be blank");
            }
            for (int i = 0; i < realm.length(); i++) {
                char c = realm.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException("realm must not contain control characters");
                }
            }
            this.realm = realm;
            return this;
        }

        /**
         * Offered algorithms by token ({@code MD5}, {@code MD5-sess}, {@code SHA-256}, {@code SHA-256-sess},
         * {@code SHA-512-256}, {@code SHA-512-256-sess}); default {@code MD5}, as Twilio offers. Challenges
         * list them in the order given, one header each: RFC 8760 recommends the strongest first, but
         * many deployed phones read only the first header, or fail when it is not MD5, so the operator
         * decides. This is the server-wide offer: a trunk or SIP domain with a list of its own
         * ({@code digestAlgorithms}) offers, and accepts, that list instead.
         */
        public Builder algorithms(String... tokens) {
            this.algorithms = DigestOffer.parse(Arrays.asList(tokens));
            return this;
        }

        /**
         * Adds a nonce key (id 0..255, at least 16 bytes; all added keys verify). Without any key a
         * random one is generated, which suits a single node; a cluster shares its keys.
         */
        public Builder nonceKey(int keyId, byte[] secret) {
            if (keyId < 0 || keyId > 255) {
                throw new IllegalArgumentException("nonce key id must be 0..255, got " + keyId);
            }
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 16) {
                throw new IllegalArgumentException("nonce key must have at least 16 bytes, got " + secret.length);
            }
            if (nonceKeys.putIfAbsent(keyId, secret.clone()) != null) {
                throw new IllegalArgumentException("nonce key id " + keyId + " given twice");
            }
            return this;
        }

        /** The key that signs new nonces; default: the first key added. */
        public Builder issuingKeyId(int keyId) {
            if (keyId < 0 || keyId > 255) {
                throw new IllegalArgumentException("nonce key id must be 0..255, got " + keyId);
            }
            this.issuingKeyId = keyId;
            return this;
        }

        /** Nonce lifetime, 1 s .. 1 day; default 300 s. */
        public Builder nonceTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "nonceTtl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("nonce TTL must be between 1 s and 1 day, got " + ttl);
            }
            this.nonceTtl = ttl;
            return this;
        }

        /** Bind nonces to the client's source address; default true. */
        public Builder bindNonceToSource(boolean bind) {
            this.bindNonceToSource = bind;
            return this;
        }

        /** Time source for nonces and the throttle; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Nonce-count / single-use checks; default on. */
        public Builder replayProtection(boolean on) {
            this.replayProtection = on;
            return this;
        }

        /** Maximum nonces tracked by the replay guard; default 100,000 (32 bytes each, allocated at build). */
        public Builder replayCacheSize(long size) {
            if (size < 1 || size > ReplayGuard.MAX_ENTRIES) {
                throw new IllegalArgumentException(
                        "replay cache size must be between 1 and " + ReplayGuard.MAX_ENTRIES + ", got " + size);
            }
            this.replayCacheSize = size;
            return this;
        }

        /** Accept RFC 2069 responses without qop; default false. */
        public Builder allowNoQop(boolean allow) {
            this.allowNoQop = allow;
            return this;
        }

        /** qop options offered: {@code auth} and/or {@code auth-int}; default {@code auth}. Empty requires allowNoQop. */
        public Builder qops(String... qops) {
            List<String> list = new ArrayList<>();
            for (String q : qops) {
                String constant = DigestHeaders.QOP_AUTH.equals(q) ? DigestHeaders.QOP_AUTH
                        : DigestHeaders.QOP_AUTH_INT.equals(q) ? DigestHeaders.QOP_AUTH_INT : null;
                if (constant == null) {
                    throw new IllegalArgumentException("qop must be auth or auth-int, got " + q);
                }
                if (list.contains(constant)) {
                    throw new IllegalArgumentException("qop listed twice: " + q);
                }
                list.add(constant);
            }
            this.qops = List.copyOf(list);
            return this;
        }

        /** An opaque value sent in challenges and required back; default none. */
        public Builder opaque(String opaque) {
            if (opaque != null) {
                for (int i = 0; i < opaque.length(); i++) {
                    char c = opaque.charAt(i);
                    if (c < 0x20 || c == 0x7f) {
                        throw new IllegalArgumentException("opaque must not contain control characters");
                    }
                }
            }
            this.opaque = opaque;
            return this;
        }

        /**
         * Brute-force throttle: {@code maxFailures} wrong responses from one source address within
         * {@code window} refuse that address ({@link Reason#THROTTLED}) for {@code cooldown}; default
         * 10 / 60 s / 60 s. Usernames have budgets of their own over the same window and cooldown,
         * by default derived from {@code maxFailures} (see {@link #throttleUsernameLimits}). A success
         * never clears the address's count. {@code maxFailures} 0 turns the address budget off, and
         * the derived username budgets with it.
         */
        public Builder throttle(int maxFailures, Duration window, Duration cooldown) {
            if (maxFailures < 0) {
                throw new IllegalArgumentException("throttle max failures must be >= 0, got " + maxFailures);
            }
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(cooldown, "cooldown");
            if (window.isNegative() || window.isZero() || cooldown.isNegative() || cooldown.isZero()) {
                throw new IllegalArgumentException("throttle window and cooldown must be positive");
            }
            this.throttleMaxFailures = maxFailures;
            this.throttleWindow = window;
            this.throttleCooldown = cooldown;
            return this;
        }

        /**
         * Budgets of one username at one trunk or SIP domain: {@code fromOneSource} wrong responses
         * from one address refuse that username from that address; {@code fromAllSources} from all
         * addresses together refuse that username from everyone (a distributed guess; note that this
         * also locks the real user out until the cooldown ends). A success clears only the
         * one-source count of its own username. 0 turns a budget off. Default: half of the
         * address budget (rounded up) and five times it, i.e. 5 and 50.
         */
        public Builder throttleUsernameLimits(int fromOneSource, int fromAllSources) {
            if (fromOneSource < 0 || fromAllSources < 0) {
                throw new IllegalArgumentException("throttle username limits must be >= 0, got "
                        + fromOneSource + " and " + fromAllSources);
            }
            this.throttleSourceUsernameLimit = fromOneSource;
            this.throttleUsernameLimit = fromAllSources;
            return this;
        }

        /**
         * Maximum keys the throttle tracks of each kind (addresses; usernames per address; usernames
         * across addresses); default 100,000. A full kind forgets idle keys, then the keys not
         * refused whose last failure is oldest; it never stops counting new failures.
         */
        public Builder throttleMaxSources(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("throttle max sources must be positive, got " + max);
            }
            this.throttleMaxSources = max;
            return this;
        }

        /**
         * The SIP status of a Denied decision: UNKNOWN_TARGET (404), NO_CREDENTIAL_LIST (403),
         * SOURCE_NOT_ALLOWED (403), THROTTLED (403), MALFORMED (400), URI_MISMATCH (400); 400..699.
         */
        public Builder deniedStatus(Reason reason, int status) {
            Objects.requireNonNull(reason, "reason");
            if (!deniedStatus.containsKey(reason)) {
                throw new IllegalArgumentException(reason + " is not a denial reason; choose one of " + deniedStatus.keySet());
            }
            if (status < 400 || status > 699) {
                throw new IllegalArgumentException("denied status must be 400..699, got " + status);
            }
            deniedStatus.put(reason, status);
            return this;
        }

        /** Weight bound of the HA1 cache, in credentials; default 2,000,000. */
        public Builder maxCachedCredentials(long max) {
            if (max < 1) {
                throw new IllegalArgumentException("max cached credentials must be positive, got " + max);
            }
            this.maxCachedCredentials = max;
            return this;
        }

        /** Backstop expiry of cached HA1 tables (the change feed invalidates them first); default 10 min. */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "cacheTtl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("cache TTL must be positive, got " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** Builds and subscribes to the store. */
        public InviteAuthorizer build() {
            if (provisioning != null) {
                if (store != null && store != provisioning.store()) {
                    throw new IllegalStateException("store differs from the provisioning's store: give one of them");
                }
                if (realm != null && !realm.equals(provisioning.realm())) {
                    throw new IllegalStateException("realm \"" + realm + "\" differs from the provisioning realm \""
                            + provisioning.realm() + "\", for which every credential's HA1 is computed: no credential"
                            + " would verify; leave realm unset to use the provisioning's");
                }
                store = provisioning.store();
                realm = provisioning.realm();
            }
            if (store == null) {
                throw new IllegalStateException("store is required (or provisioning)");
            }
            if (realm == null) {
                throw new IllegalStateException("realm is required (or provisioning)");
            }
            if (qops.isEmpty() && !allowNoQop) {
                throw new IllegalStateException("no qop offered: enable allowNoQop for RFC 2069 clients");
            }
            if (!nonceKeys.isEmpty()) {
                if (issuingKeyId < 0) {
                    issuingKeyId = nonceKeys.keySet().iterator().next();
                } else if (!nonceKeys.containsKey(issuingKeyId)) {
                    throw new IllegalStateException("issuing key id " + issuingKeyId + " has no key");
                }
            } else if (issuingKeyId >= 0) {
                throw new IllegalStateException("issuing key id " + issuingKeyId + " set but no nonce key given");
            }
            return new InviteAuthorizer(this);
        }
    }
}
