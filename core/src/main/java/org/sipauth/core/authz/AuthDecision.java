package org.sipauth.core.authz;

import java.util.List;
import java.util.Objects;
import org.sipauth.core.model.Sid;

/** The engine's verdict on one request. */
public sealed interface AuthDecision {

    /**
     * The request may pass: it carried valid credentials from a list mapped to its target, or (a target
     * with IP access control lists and no credential list) it came from an allowed source.
     *
     * @param username          the digest username that verified; null when no credential was checked
     *                          (a target with only IP access control lists mapped)
     * @param credentialListSid the list whose credential verified; null exactly when {@code username} is
     * @param targetSid         the trunk or SIP domain addressed
     */
    record Allowed(String username, Sid credentialListSid, Sid targetSid) implements AuthDecision {
        public Allowed {
            if ((username == null) != (credentialListSid == null)) {
                throw new IllegalArgumentException("username and credentialListSid are both given or both null");
            }
            Objects.requireNonNull(targetSid, "targetSid");
        }

        /** Allowed by source address alone: the target maps IP access control lists and no credential list. */
        public static Allowed bySource(Sid targetSid) {
            return new Allowed(null, null, targetSid);
        }
    }

    /**
     * Answer with a challenge: {@code status} is 401 (UAS) or 407 (proxy); each of {@code challenges}
     * is one WWW-Authenticate / Proxy-Authenticate header, in the order offered: the target's own
     * algorithm list when it has one, else the engine's configured list.
     */
    record Challenge(int status, List<DigestChallenge> challenges, Reason reason) implements AuthDecision {
        public Challenge {
            challenges = List.copyOf(challenges);
            if (challenges.isEmpty()) {
                throw new IllegalArgumentException("a challenge needs at least one digest challenge");
            }
            Objects.requireNonNull(reason, "reason");
        }

        /** True when the client's nonce was genuine but expired ({@code stale=true} in the challenges). */
        public boolean stale() {
            return challenges.get(0).stale();
        }

        /** Each challenge rendered as a header value ({@link DigestChallenge#toHeaderValue()}), in order. */
        public List<String> headerValues() {
            String[] values = new String[challenges.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = challenges.get(i).toHeaderValue();
            }
            return List.of(values);
        }
    }

    /** Reject without a challenge; {@code status} is the SIP status to answer (400, 403, 404, …). */
    record Denied(int status, Reason reason) implements AuthDecision {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a request was challenged or denied (safe to log: never carries secrets). */
    enum Reason {
        /** No credentials for our realm in the request. */
        NO_CREDENTIALS,
        /** Nonce genuine but expired: challenged with stale=true. */
        STALE_NONCE,
        /** Nonce not ours, or minted for another algorithm/realm/source. */
        INVALID_NONCE,
        /** Nonce-count not fresh, or a qop-less nonce used twice. */
        REPLAY,
        /** Username unknown or response wrong. */
        BAD_CREDENTIALS,
        /** Algorithm not enabled. */
        UNSUPPORTED_ALGORITHM,
        /** Digest uri differs from the Request-URI. */
        URI_MISMATCH,
        /** Unparseable, duplicated or out-of-range digest parameters (answered with 400). */
        MALFORMED,
        /** No trunk or domain owns the Request-URI host. */
        UNKNOWN_TARGET,
        /** The target has neither a credential list nor an IP access control list mapped (closed by default). */
        NO_CREDENTIAL_LIST,
        /** The target has IP access control lists mapped and the packet's source is in none of them. */
        SOURCE_NOT_ALLOWED,
        /** The source exceeded its failure budget and is cooling down. */
        THROTTLED
    }
}
