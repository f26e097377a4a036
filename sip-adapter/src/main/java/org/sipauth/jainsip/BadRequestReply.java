package org.sipauth.jainsip;

import gov.nist.javax.sip.stack.SipauthStreamReplies;
import java.nio.charset.StandardCharsets;

/**
 * Builds a 400 response, as text, to a request the SIP stack could not parse, by copying the
 * header lines a response must echo (RFC 3261 §8.2.6.2: Via, From, To, Call-ID, CSeq) verbatim: the
 * rule the RI-side 413/513 replies use too ({@link SipauthStreamReplies#echoReply}).
 */
final class BadRequestReply {

    private BadRequestReply() {
    }

    /**
     * The 400 for {@code request} (start line and headers as received), or null when the request is
     * an ACK or a response, or lacks a header the response has to echo.
     */
    static byte[] of(String request) {
        return of(request, 400);
    }

    /** As {@link #of(String)}, with another 4xx/5xx status (e.g. 505 for an unsupported version). */
    static byte[] of(String request, int status) {
        String reply = request == null ? null
                : SipauthStreamReplies.echoReply(request, status + " " + StatelessReply.reasonPhrase(status));
        return reply == null ? null : reply.getBytes(StandardCharsets.UTF_8);
    }
}
