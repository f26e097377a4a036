package org.sipauth.jainsip;

import java.util.ArrayList;
import java.util.List;
import org.sipauth.core.authz.AuthDecision;

/**
 * The parts of a request the digest check needs byte for byte, captured by {@link WireTextParserFactory}.
 * Filled by one parser thread before the request is dispatched, read afterwards.
 */
final class WireText {

    private static final String AUTHORIZATION = "Authorization";
    private static final String PROXY_AUTHORIZATION = "Proxy-Authorization";

    final String requestUri;
    final List<String> authorization = new ArrayList<>(1);
    final List<String> proxyAuthorization = new ArrayList<>(1);
    /** Set when the parser already answered the request with 400 (a malformed mandatory header). */
    volatile boolean answered;
    /** Set when the request line names another version than SIP/2.0 (answered 505 over UDP). */
    boolean unsupportedVersion;
    /**
     * Set when {@link StatelessFront} accepted the request before the stack made its transaction:
     * the listener passes it on without authorizing it again.
     */
    volatile AuthDecision.Allowed decision;
    /** The transaction id {@link StatelessFront} holds while the accepted request gets its transaction. */
    volatile String transactionId;
    /**
     * Set when {@link StatelessFront} found the request's transaction and passed it on to it: if
     * the transaction ended before the stack looked it up again, the request reaches the listener
     * undecided as a late copy, not because the stack lacks the valve.
     */
    volatile boolean passedToTransaction;
    /** Its {@link RecentTransactions} identity, computed once by {@link StatelessFront} (0: none). */
    volatile long identity;

    WireText(String requestUri) {
        this.requestUri = requestUri;
    }

    /** Keeps the value of an Authorization or Proxy-Authorization header line; ignores others. */
    void offer(String headerLine) {
        if (headerLine.length() < AUTHORIZATION.length()) {
            return;
        }
        char first = headerLine.charAt(0);
        if ((first == 'A' || first == 'a') && nameIs(headerLine, AUTHORIZATION)) {
            authorization.add(valueOf(headerLine, AUTHORIZATION.length()));
        } else if ((first == 'P' || first == 'p') && nameIs(headerLine, PROXY_AUTHORIZATION)) {
            proxyAuthorization.add(valueOf(headerLine, PROXY_AUTHORIZATION.length()));
        }
    }

    private static boolean nameIs(String line, String name) {
        if (!line.regionMatches(true, 0, name, 0, name.length())) {
            return false;
        }
        int i = name.length();
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i < line.length() && line.charAt(i) == ':';
    }

    private static String valueOf(String line, int nameLength) {
        int colon = line.indexOf(':', nameLength);
        // The RI has already joined folded continuation lines.
        return line.substring(colon + 1).strip();
    }
}
