package org.sipauth.core.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The digest algorithms a challenge offers, in the order offered, with a membership test that
 * reads one int. <b>Internal</b>: not part of sipauth's API. Immutable.
 *
 * <p>The engine holds one for its configured (server-wide) offer and one per trunk or SIP domain
 * that has its own list; {@link #canonicalTokens} is the one rule for what such a list may hold,
 * shared by the model records, the store's {@code AuthTarget} and the engine's builder.
 */
public final class DigestOffer {

    private final List<DigestAlgorithm> algorithms;
    /** Bit {@code ordinal} set for every offered algorithm. */
    private final int mask;

    private DigestOffer(List<DigestAlgorithm> algorithms) {
        this.algorithms = List.copyOf(algorithms);
        int bits = 0;
        for (DigestAlgorithm a : this.algorithms) {
            bits |= 1 << a.ordinal();
        }
        this.mask = bits;
    }

    /**
     * The offer of these tokens (any case), in this order. {@link IllegalArgumentException} when the
     * list is empty, names an unknown algorithm or names one twice.
     */
    public static DigestOffer parse(List<String> tokens) {
        Objects.requireNonNull(tokens, "algorithms");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm is required");
        }
        List<DigestAlgorithm> list = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            DigestAlgorithm a = DigestAlgorithm.forToken(Objects.requireNonNull(token, "algorithm"));
            if (a == null) {
                throw new IllegalArgumentException("unknown digest algorithm: " + token + " (supported: " + supported() + ")");
            }
            if (list.contains(a)) {
                throw new IllegalArgumentException("algorithm listed twice: " + token);
            }
            list.add(a);
        }
        return new DigestOffer(list);
    }

    /**
     * {@code tokens} checked as {@link #parse} does and spelled as the algorithms' tokens
     * ({@code sha-256} becomes {@code SHA-256}); null stays null (no list of its own).
     */
    public static List<String> canonicalTokens(List<String> tokens) {
        return tokens == null ? null : parse(tokens).tokens();
    }

    /** Every supported token, comma-separated, for messages. */
    public static String supported() {
        StringBuilder b = new StringBuilder();
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(a.token());
        }
        return b.toString();
    }

    /** The offered algorithms, in order; never empty. */
    public List<DigestAlgorithm> algorithms() {
        return algorithms;
    }

    /** The offered algorithms' tokens, in order. */
    public List<String> tokens() {
        return algorithms.stream().map(DigestAlgorithm::token).toList();
    }

    /** Whether {@code algorithm} is offered; allocation-free. */
    public boolean offers(DigestAlgorithm algorithm) {
        return (mask & (1 << algorithm.ordinal())) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DigestOffer other && algorithms.equals(other.algorithms);
    }

    @Override
    public int hashCode() {
        return algorithms.hashCode();
    }

    @Override
    public String toString() {
        return String.join(",", tokens());
    }
}
