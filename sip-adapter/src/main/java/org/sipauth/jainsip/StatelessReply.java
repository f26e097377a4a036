package org.sipauth.jainsip;

import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.sipauth.core.authz.DigestChallenge;

/**
 * Writes a final response sent without a transaction, as bytes: status line, the request's Via,
 * From, To (with a tag added), Call-ID and CSeq lines (RFC 3261 8.2.6.2), optional extra header
 * lines (the challenges, or a responder's), Content-Length and an optional body. Header lines come
 * either as byte ranges of the received datagram (copied as received) or as strings. Not
 * thread-safe; one per response.
 */
final class StatelessReply {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = "Content-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer = new byte[640];
    private int length;

    StatelessReply(int status) {
        ascii("SIP/2.0 ").ascii(Integer.toString(status)).ascii(" ").ascii(reasonPhrase(status)).crlf();
    }

    /** RFC 3261's reason phrase for {@code status} (the RI spells a few differently, e.g. "Bad request"). */
    static String reasonPhrase(int status) {
        if (status == 400) {
            return "Bad Request";
        }
        String reason = SIPResponse.getReasonPhrase(status);
        return reason == null || reason.isEmpty() ? "Unknown" : reason;
    }

    /** A header line copied from {@code source} (without its line break). */
    StatelessReply line(byte[] source, int from, int to) {
        return bytes(source, from, to).crlf();
    }

    /** A header line given as text ({@code Name: value}, no line break). */
    StatelessReply line(String headerLine) {
        return text(headerLine).crlf();
    }

    /** One {@code name: value} line per challenge, each rendered once. */
    StatelessReply challenges(String name, List<DigestChallenge> challenges) {
        for (int i = 0; i < challenges.size(); i++) {
            text(name).ascii(": ").text(challenges.get(i).toHeaderValue()).crlf();
        }
        return this;
    }

    StatelessReply bytes(byte[] source, int from, int to) {
        ensure(to - from);
        System.arraycopy(source, from, buffer, length, to - from);
        length += to - from;
        return this;
    }

    StatelessReply ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    StatelessReply text(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                return bytes(utf8, 0, utf8.length);
            }
        }
        return ascii(s);
    }

    StatelessReply crlf() {
        return bytes(CRLF, 0, 2);
    }

    /** Ends the headers and returns the response. */
    byte[] finish() {
        bytes(END, 0, END.length);
        return Arrays.copyOf(buffer, length);
    }

    /** Ends the headers with the length of {@code body} (null: none), adds it and returns the response. */
    byte[] finish(byte[] body) {
        if (body == null || body.length == 0) {
            return finish();
        }
        ascii("Content-Length: ").ascii(Integer.toString(body.length)).crlf().crlf();
        bytes(body, 0, body.length);
        return Arrays.copyOf(buffer, length);
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
