package gov.nist.javax.sip.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The response to a request refused for its size before it was parsed: 513 for a header block over
 * the limit, 413 for a body over the limit (RFC 3261 §21.5.13, §21.4.11). Built from the raw bytes
 * read so far by echoing the header lines a response must carry (RFC 3261 §8.2.6.2: Via, From, To,
 * Call-ID, CSeq), the rule {@code org.sipauth.jainsip.BadRequestReply} shares through
 * {@link SipauthStreamReplies#echoReply}. Bytes are handled as ISO-8859-1 so that echoed lines go
 * back exactly as received.
 */
final class TooLargeReply {

    static final String HEADERS_TOO_LARGE = "513 Message Too Large";
    static final String BODY_TOO_LARGE = "413 Request Entity Too Large";

    private TooLargeReply() {
    }

    /**
     * The response with {@code status} (code and reason phrase) to the request whose start of
     * header block is {@code head}, or null when it is an ACK or a response, or when a header the
     * response has to echo is not among the complete lines of {@code head}.
     */
    static byte[] of(byte[] head, String status) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        // only whole lines count: the last one may have been cut by the limit
        int lastLineFeed = text.lastIndexOf('\n');
        String reply = lastLineFeed < 0 ? null : echo(text.substring(0, lastLineFeed), status);
        return reply == null ? null : reply.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The response with {@code status} (code and reason phrase) to {@code request} (start line and
     * header lines as received), echoing Via, From, To, Call-ID and CSeq verbatim and adding a
     * To-tag when there is none; null when the request is an ACK or a response, or lacks a header
     * the response has to echo. The one copy of this rule: {@code org.sipauth.jainsip.BadRequestReply}
     * reaches it through {@link SipauthStreamReplies#echoReply}.
     */
    static String echo(String request, String status) {
        if (request.startsWith("SIP/") || request.startsWith("ACK ")) {
            return null;
        }
        List<String> vias = new ArrayList<>();
        String from = null;
        String to = null;
        String callId = null;
        String cseq = null;
        String[] lines = request.split("\r?\n", -1);
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                continue; // not a header line (or a folded continuation): nothing a response must echo
            }
            String value = line.substring(colon + 1);
            switch (line.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
                case "via", "v" -> vias.add("Via:" + value);
                case "from", "f" -> from = from != null ? from : "From:" + value;
                case "to", "t" -> to = to != null ? to : "To:" + value;
                case "call-id", "i" -> callId = callId != null ? callId : "Call-ID:" + value;
                case "cseq" -> cseq = cseq != null ? cseq : "CSeq:" + value;
                default -> { }
            }
        }
        if (vias.isEmpty() || from == null || to == null || callId == null || cseq == null) {
            return null;
        }
        if (!to.toLowerCase(Locale.ROOT).contains("tag=")) {
            to = to + ";tag=" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        }
        StringBuilder reply = new StringBuilder(256).append("SIP/2.0 ").append(status).append("\r\n");
        vias.forEach(via -> reply.append(via).append("\r\n"));
        reply.append(from).append("\r\n").append(to).append("\r\n").append(callId).append("\r\n")
                .append(cseq).append("\r\n").append("Content-Length: 0\r\n\r\n");
        return reply.toString();
    }
}
