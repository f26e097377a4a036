package org.sipauth.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sipauth.core.digest.DigestOffer;

/** The checks the model records' constructors share. */
final class Fields {

    private Fields() {
    }

    /** {@code sid} in canonical form; it must be present and of {@code kind} ({@code what} names it in the error). */
    static Sid sidOf(SidKind kind, String what, Sid sid) {
        Sid canonical = Objects.requireNonNull(sid, "sid").canonical();
        if (canonical.kind() != kind) {
            throw new IllegalArgumentException("not " + what + " SID: " + canonical);
        }
        return canonical;
    }

    /** The owner's SID in canonical form. */
    static Sid accountSid(Sid accountSid) {
        return Objects.requireNonNull(accountSid, "accountSid").canonical();
    }

    /** Requires a null or lowercase domain name (stores and the host index compare names as stored). */
    static String lowercaseDomainName(String domainName) {
        if (domainName != null && !domainName.equals(domainName.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("domainName must be lowercase");
        }
        return domainName;
    }

    /**
     * A target's own digest algorithm offer in canonical spelling, or null (the engine's server-wide
     * offer): non-empty, supported algorithms only, none twice.
     */
    static List<String> digestAlgorithms(List<String> algorithms) {
        return DigestOffer.canonicalTokens(algorithms);
    }
}
