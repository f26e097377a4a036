package org.sipauth.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The session descriptions respond mode puts in its 2xx. It has no media, so by default it declines
 * every stream (RFC 3264): to an INVITE with an offer it answers with the same m-lines, each with
 * port 0 (6: a rejected stream keeps its media type, transport and formats); to an INVITE without
 * one it must make the offer itself in the 2xx (RFC 3261 13.2.1), an audio stream offered with port
 * 0 (5.1: offered but not to be used), and the answer in the ACK is absorbed with the ACK. A phone
 * then ends the call at once with a BYE (nothing to talk over). With {@code inactive} the first
 * offered audio stream is accepted instead, with its first format, the discard port and
 * {@code a=inactive} (6.1: no media flows either way), so the call stays up until the caller hangs
 * up; the other streams are declined. Without any of this softphones hang up at once: a 2xx without
 * an answer to their offer is a protocol error.
 */
final class DeclinedMedia {

    /** RFC 863's port: nothing is sent to an inactive stream, and nothing listens for it here. */
    private static final int DISCARD_PORT = 9;

    private DeclinedMedia() {
    }

    /**
     * The answer to {@code offer}, from {@code host} (the advertised address, IPv6 without
     * brackets); null when the offer is not a session description with at least one well-formed
     * m-line (then the caller answers 488). {@code session} is the o= line's session id and version:
     * the same for the same call, so a 2xx sent again is the same 2xx.
     */
    static byte[] answer(byte[] offer, String host, boolean inactive, long session) {
        String text = new String(offer, StandardCharsets.UTF_8);
        if (!text.startsWith("v=0")) {
            return null;
        }
        String[] lines = text.split("\r?\n");
        List<String> media = new ArrayList<>();
        boolean kept = !inactive;
        for (String line : lines) {
            if (!line.startsWith("m=")) {
                continue;
            }
            // m=<media> <port>[/<count>] <proto> <fmt> ...
            String[] fields = line.substring(2).trim().split(" +");
            if (fields.length < 4) {
                return null;
            }
            if (!kept && fields[0].equals("audio") && !fields[1].equals("0")) {
                kept = true;
                media.add("m=audio " + DISCARD_PORT + " " + fields[2] + " " + fields[3]);
                String rtpmap = "a=rtpmap:" + fields[3] + " ";
                for (String attribute : lines) {
                    if (attribute.startsWith(rtpmap)) {
                        media.add(attribute.trim());
                        break;
                    }
                }
                media.add("a=inactive");
                continue;
            }
            StringBuilder m = new StringBuilder("m=").append(fields[0]).append(" 0 ").append(fields[2]);
            for (int i = 3; i < fields.length; i++) {
                m.append(' ').append(fields[i]);
            }
            media.add(m.toString());
        }
        return media.isEmpty() ? null : description(host, media, session);
    }

    /** The offer of a 2xx to an INVITE that carried none: one audio stream, declined or inactive. */
    static byte[] offer(String host, boolean inactive, long session) {
        return description(host, inactive ? List.of("m=audio " + DISCARD_PORT + " RTP/AVP 0", "a=inactive")
                : List.of("m=audio 0 RTP/AVP 0"), session);
    }

    private static byte[] description(String host, List<String> media, long session) {
        String family = host.indexOf(':') >= 0 ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder(128)
                .append("v=0\r\n")
                .append("o=sipauth ").append(session).append(' ').append(session).append(" IN ").append(family)
                .append(' ').append(host).append("\r\n")
                .append("s=-\r\n")
                .append("c=IN ").append(family).append(' ').append(host).append("\r\n")
                .append("t=0 0\r\n");
        for (String m : media) {
            sdp.append(m).append("\r\n");
        }
        return sdp.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
