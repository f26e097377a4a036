package org.sipauth.core.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.DuplicateKeyException;

/**
 * Accounts: bootstrap, creation and HTTP Basic authentication of the admin API. Auth tokens are
 * kept only as SHA-256 hashes and compared in constant time. Thread-safe.
 */
public final class AccountService {

    /** Upper bound on accepted auth tokens, so hashing an attacker's header costs little. */
    static final int TOKEN_MAX = 256;
    private static final String DEFAULT_FRIENDLY_NAME = "sipauth account";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when the account is unknown, so that a miss costs the same as a hit. */
    private static final byte[] DUMMY_HASH = new byte[32];

    private final Context context;

    AccountService(Context context) {
        this.context = context;
    }

    /**
     * Makes sure the account exists with this auth token (the server's bootstrap from
     * {@code SIPAUTH_ACCOUNT_SID} / {@code SIPAUTH_AUTH_TOKEN}): creates it, or replaces the token
     * hash of an existing account when the token changed.
     *
     * @throws IllegalArgumentException when the SID or token is malformed
     */
    public Account ensure(String accountSid, String authToken) {
        Sid sid = Sid.parse(SidKind.ACCOUNT, accountSid).map(Sid::canonical)
                .orElseThrow(() -> new IllegalArgumentException("account SID must match ^AC[0-9a-fA-F]{32}$"));
        requireToken(authToken);
        String hash = Ha1Calculator.sha256Hex(authToken);
        Instant now = context.now();
        for (int attempt = 0; ; attempt++) {
            Optional<Account> existing = context.store().findAccount(sid);
            if (existing.isPresent()) {
                Account current = existing.get();
                if (current.authTokenSha256().equals(hash)) {
                    return current;
                }
                Account updated = new Account(sid, current.friendlyName(), hash, current.status(), current.dateCreated(), now);
                if (context.store().updateAccount(updated)) {
                    return updated;
                }
            } else {
                Account created = new Account(sid, DEFAULT_FRIENDLY_NAME, hash, Account.Status.ACTIVE, now, now);
                try {
                    context.store().insertAccount(created);
                    return created;
                } catch (DuplicateKeyException e) {
                    if (attempt > 2) {
                        throw e;
                    }
                    // created concurrently: loop and compare tokens
                }
            }
        }
    }

    /** Creates an active account with a random 32-hex-digit auth token, returned only here. */
    public NewAccount create(String friendlyName) {
        String name = friendlyName == null || friendlyName.isEmpty() ? DEFAULT_FRIENDLY_NAME
                : Validation.friendlyName(friendlyName, ApiException.BAD_REQUEST);
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Instant now = context.now();
        Account account = new Account(Sid.random(SidKind.ACCOUNT), name, Ha1Calculator.sha256Hex(token),
                Account.Status.ACTIVE, now, now);
        context.store().insertAccount(account);
        return new NewAccount(account, token);
    }

    /**
     * The active account whose SID and token these are, else empty. Takes the same time whether
     * the SID is unknown, the token wrong or both right (one SHA-256, one constant-time compare).
     */
    public Optional<Account> authenticate(String accountSid, String authToken) {
        if (accountSid == null || authToken == null || authToken.length() > TOKEN_MAX) {
            return Optional.empty();
        }
        byte[] presented = sha256(authToken);
        Optional<Account> account = Sid.parse(SidKind.ACCOUNT, accountSid).map(Sid::canonical)
                .flatMap(context.store()::findAccount);
        byte[] expected = account.map(a -> HexFormat.of().parseHex(a.authTokenSha256())).orElse(DUMMY_HASH);
        boolean match = MessageDigest.isEqual(presented, expected);
        return match && account.isPresent() && account.get().status() == Account.Status.ACTIVE
                ? account : Optional.empty();
    }

    public Optional<Account> find(Sid accountSid) {
        return context.store().findAccount(accountSid.canonical());
    }

    /** True when no account exists yet (the server then creates one and prints its token once). */
    public boolean isEmpty() {
        return context.store().accountCount() == 0;
    }

    private static void requireToken(String authToken) {
        Objects.requireNonNull(authToken, "authToken");
        if (authToken.isEmpty() || authToken.length() > TOKEN_MAX
                || authToken.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("auth token must be 1.." + TOKEN_MAX + " printable characters without spaces");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
