package org.sipauth.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds a 400 response, as text, to a request the SIP stack could not parse, by copying the
 * header lines a response must echo (RFC 3261 §8.2.6.2: Via, From, To, Call-ID, CSeq) verbatim.
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
        if (request == null || request.startsWith("SIP/") || request.startsWith("ACK ")) {
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
                continue; // not a header line (or a folded continuation): nothing a 400 must echo
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "via", "v" -> vias.add("Via:" + line.substring(colon + 1));
                case "from", "f" -> from = from != null ? from : "From:" + line.substring(colon + 1);
                case "to", "t" -> to = to != null ? to : "To:" + line.substring(colon + 1);
                case "call-id", "i" -> callId = callId != null ? callId : "Call-ID:" + line.substring(colon + 1);
                case "cseq" -> cseq = cseq != null ? cseq : "CSeq:" + line.substring(colon + 1);
                default -> { }
            }
        }
        if (vias.isEmpty() || from == null || to == null || callId == null || cseq == null) {
            return null;
        }
        if (!to.toLowerCase(Locale.ROOT).contains("tag=")) {
            to = to + ";tag=" + ToTags.random();
        }
        StringBuilder reply = new StringBuilder(256).append("SIP/2.0 ").append(status).append(' ')
                .append(StatelessReply.reasonPhrase(status)).append("\r\n");
        vias.forEach(via -> reply.append(via).append("\r\n"));
        reply.append(from).append("\r\n").append(to).append("\r\n").append(callId).append("\r\n")
                .append(cseq).append("\r\n").append("Content-Length: 0\r\n\r\n");
        return reply.toString().getBytes(StandardCharsets.UTF_8);
    }
}
