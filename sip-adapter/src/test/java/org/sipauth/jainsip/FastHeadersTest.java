package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.RequestLineParser;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Oracle test for {@link FastHeaders}: the RI's own header parser decides. A line the RI rejects must be left to
 * the RI (null); a line FastHeaders handles must give an object of the RI's class with the RI's encoding and,
 * field by field through the whole object graph, the RI's state.
 */
class FastHeadersTest {

    // ------------------------------------------------------------------------------------------ the oracle

    /** Applies the oracle to one line; true when the RI accepts it. */
    static boolean agreesWithRi(String line) {
        SIPHeader fast;
        try {
            fast = FastHeaders.parse(line);
        } catch (RuntimeException e) {
            throw new AssertionError("FastHeaders.parse threw on " + show(line), e);
        }
        SIPHeader ri;
        Exception riError = null;
        try {
            ri = ParserFactory.createParser(line + "\n").parse();
        } catch (ParseException | RuntimeException e) { // a runtime exception is a rejection too: no header results
            ri = null;
            riError = e;
        }
        if (ri == null) {
            SIPHeader built = fast;
            String why = String.valueOf(riError);
            assertNull(built, () -> "the RI rejects " + show(line) + " (" + why + ") but FastHeaders built "
                    + built.getClass().getSimpleName() + " " + show(built.encode()));
            return false;
        }
        if (fast == null) {
            return true;
        }
        assertSame(ri.getClass(), fast.getClass(), () -> "class for " + show(line));
        String difference = DeepCompare.firstDifference(ri, fast);
        assertNull(difference, () -> "FastHeaders and the RI differ on " + show(line) + " at " + difference);
        assertEquals(ri.encode(), fast.encode(), () -> "encoding of " + show(line));
        return true;
    }

    /** The same oracle for a request line, against the RI's {@code RequestLineParser}. */
    static boolean requestLineAgreesWithRi(String line) {
        RequestLine fast = FastHeaders.requestLine(line);
        RequestLine ri;
        try {
            ri = new RequestLineParser(line + "\n").parse();
        } catch (ParseException | RuntimeException e) {
            assertNull(fast, () -> "the RI rejects request line " + show(line) + " (" + e + ") but FastHeaders built "
                    + show(fast.encode()));
            return false;
        }
        if (fast != null) {
            String difference = DeepCompare.firstDifference(ri, fast);
            assertNull(difference, () -> "FastHeaders and the RI differ on " + show(line) + " at " + difference);
            assertEquals(ri.encode(), fast.encode(), () -> "encoding of " + show(line));
        }
        return true;
    }

    /** A line in Java-literal form, so control characters and non-ASCII text are visible in messages. */
    static String show(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * Deep reflective comparison of two RI object graphs. Objects of {@code gov.nist.*} classes are walked field
     * by field (all non-static fields, superclasses included); strings, boxed primitives, enums and other JDK
     * values compare with equals; collections and maps element by element (same collection class required).
     * <p>
     * One legitimate difference is allowed: {@code NameValueList.hmap} and {@code MultiValueMapImpl.map} are
     * created lazily by the RI (on the first put, or on any iteration, e.g. {@code iterator()}), so a null map and
     * an empty one mean the same empty list. Nothing else is skipped: {@code GenericObject.stringRepresentation}
     * (debugDump scratch, "" after construction) and {@code Host.inetAddress} (DNS cache, null) only change when
     * someone calls debugDump/getInetAddress, which building a header has no business doing.
     */
    static final class DeepCompare {

        private static final Set<String> LAZY_MAPS = Set.of(
                "gov.nist.core.NameValueList.hmap", "gov.nist.core.MultiValueMapImpl.map");

        private final IdentityHashMap<Object, Object> seen = new IdentityHashMap<>();

        /** The path and values of the first difference, or null when the graphs are equal. */
        static String firstDifference(Object ri, Object fast) {
            return new DeepCompare().diff(ri.getClass().getSimpleName(), ri, fast);
        }

        private String diff(String path, Object a, Object b) {
            if (a == b) {
                return null;
            }
            if (a == null || b == null || a.getClass() != b.getClass()) {
                return mismatch(path, a, b);
            }
            Class<?> c = a.getClass();
            if (a instanceof String || a instanceof Number || a instanceof Boolean || a instanceof Character
                    || a instanceof Enum || a instanceof Class) {
                return a.equals(b) ? null : mismatch(path, a, b);
            }
            if (c.isArray()) {
                int n = Array.getLength(a);
                if (n != Array.getLength(b)) {
                    return path + ".length: RI " + n + ", FastHeaders " + Array.getLength(b);
                }
                for (int i = 0; i < n; i++) {
                    String d = diff(path + "[" + i + "]", Array.get(a, i), Array.get(b, i));
                    if (d != null) {
                        return d;
                    }
                }
                return null;
            }
            if (c.getName().startsWith("gov.nist.")) {
                if (seen.put(a, b) != null) {
                    return null; // a cycle: this pair is already being compared further up
                }
                return fields(path, a, b);
            }
            if (a instanceof Map<?, ?> ma) {
                return maps(path, ma, (Map<?, ?>) b);
            }
            if (a instanceof Collection<?> ca) {
                Collection<?> cb = (Collection<?>) b;
                if (ca.size() != cb.size()) {
                    return path + ".size(): RI " + ca.size() + " " + ca + ", FastHeaders " + cb.size() + " " + cb;
                }
                Iterator<?> ib = cb.iterator();
                int i = 0;
                for (Object ea : ca) {
                    String d = diff(path + "[" + i++ + "]", ea, ib.next());
                    if (d != null) {
                        return d;
                    }
                }
                return null;
            }
            return a.equals(b) ? null : mismatch(path, a, b);
        }

        private String fields(String path, Object a, Object b) {
            for (Class<?> k = a.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object va;
                    Object vb;
                    try {
                        va = f.get(a);
                        vb = f.get(b);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                    if (LAZY_MAPS.contains(k.getName() + "." + f.getName()) && nullOrEmpty(va) && nullOrEmpty(vb)) {
                        continue;
                    }
                    String d = diff(path + "." + f.getName(), va, vb);
                    if (d != null) {
                        return d;
                    }
                }
            }
            return null;
        }

        private String maps(String path, Map<?, ?> a, Map<?, ?> b) {
            if (a.size() != b.size() || !a.keySet().equals(b.keySet())) {
                return path + ".keySet(): RI " + a.keySet() + ", FastHeaders " + b.keySet();
            }
            if (a instanceof LinkedHashMap || a instanceof SortedMap) { // iteration order is part of the state
                List<?> ka = new ArrayList<>(a.keySet());
                List<?> kb = new ArrayList<>(b.keySet());
                if (!ka.equals(kb)) {
                    return path + " key order: RI " + ka + ", FastHeaders " + kb;
                }
            }
            for (Map.Entry<?, ?> e : a.entrySet()) {
                String d = diff(path + "[" + e.getKey() + "]", e.getValue(), b.get(e.getKey()));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }

        private static boolean nullOrEmpty(Object map) {
            return map == null || ((Map<?, ?>) map).isEmpty();
        }

        private static String mismatch(String path, Object a, Object b) {
            return path + ": RI " + describe(a) + ", FastHeaders " + describe(b);
        }

        private static String describe(Object o) {
            if (o == null) {
                return "null";
            }
            if (o instanceof String s) {
                return show(s);
            }
            String text = String.valueOf(o);
            return o.getClass().getSimpleName() + " " + (o.getClass().getName().startsWith("gov.nist.") ? show(text) : text);
        }
    }

    @Test
    void deepCompare_reportsThePathOfTheFirstDifference() throws Exception {
        SIPHeader a = ParserFactory.createParser("Contact: <sip:alice@pc33.example.com:5060>;expires=60\n").parse();
        SIPHeader b = ParserFactory.createParser("Contact: <sip:alice@pc33.example.com:5061>;expires=60\n").parse();
        SIPHeader c = ParserFactory.createParser("Contact: <sip:alice@pc33.example.com:5060>;expires=60\n").parse();
        assertEquals("ContactList.hlist[0].address.address.authority.hostPort.port: RI Integer 5060, FastHeaders Integer 5061",
                DeepCompare.firstDifference(a, b));
        assertNull(DeepCompare.firstDifference(a, c));
        // same wire text, different objects: a flag parameter (value "") against an empty one (value null)
        SIPHeader flag = ParserFactory.createParser("From: <sip:a@b>;tag\n").parse();
        SIPHeader empty = ParserFactory.createParser("From: <sip:a@b>;tag=\n").parse();
        assertEquals(flag.encode(), empty.encode());
        assertEquals("From.parameters.hmap[tag].isFlagParameter: RI Boolean true, FastHeaders Boolean false",
                DeepCompare.firstDifference(flag, empty));
    }

    // ------------------------------------------------------------------------------------------ must handle

    private static final String NONCE = "AAABjB0bA7sAAAAAAAAAAHNpcGF1dGgtYmVuY2gtbm9uY2UtdmFsdWUtMDEyMzQ1Njc4OQ";
    private static final String SIPP_DIGEST = " Digest username=\"u00001\",realm=\"sipauth\","
            + "uri=\"sip:service@load.sipauth.test\",nonce=\"" + NONCE + "\","
            + "response=\"6629fae49393a05397450978507c4ef1\",algorithm=MD5";
    private static final String RFC_DIGEST = " Digest username=\"u00001\", realm=\"sipauth\", nonce=\"" + NONCE + "\", "
            + "uri=\"sip:service@load.sipauth.test\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, "
            + "qop=auth, nc=00000001, cnonce=\"0a4f113b\"";

    /** The plain shapes FastHeaders promises to handle itself. */
    static final List<String> MUST_HANDLE = List.of(
            "CSeq: 2 INVITE", "CSeq: 1 ACK", "CSeq: 102 BYE",
            "Call-ID: 1-28411@127.0.0.1", "Call-ID: a84b4c76e66710",
            "Max-Forwards: 70", "Content-Length: 0", "Content-Length: 142", "Content-Type: application/sdp",
            "Via: SIP/2.0/UDP 127.0.0.1:25061;branch=z9hG4bK-28411-1-2",
            "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK776asdhds;rport",
            "Via: SIP/2.0/TCP pc33.example.com;branch=z9hG4bKnashds8",
            "From: sipp <sip:u00001@load.sipauth.test>;tag=28411SIPpTag001",
            "From: \"Alice\" <sip:alice@example.com>;tag=1928301774",
            "From: <sip:+15551234567@trunk.example.com>;tag=abc",
            "To: <sip:service@load.sipauth.test>",
            "To: Bob <sip:bob@biloxi.example.com>",
            "To: <sip:bob@192.0.2.4:5080>;tag=a6c85cf",
            "Contact: sip:u00001@127.0.0.1:25061",
            "Contact: <sip:alice@pc33.example.com>",
            "Contact: <sip:alice@192.0.2.1:5060;transport=udp>",
            "Authorization:" + SIPP_DIGEST, "Authorization:" + RFC_DIGEST,
            "Proxy-Authorization:" + SIPP_DIGEST, "Proxy-Authorization:" + RFC_DIGEST,
            // header-name case variants
            "cseq: 2 INVITE", "CALL-ID: a84b4c76e66710", "from: \"Alice\" <sip:alice@example.com>;tag=1928301774",
            // compact forms
            "i: 1-28411@127.0.0.1", "f: sipp <sip:u00001@load.sipauth.test>;tag=28411SIPpTag001",
            "t: <sip:service@load.sipauth.test>", "v: SIP/2.0/UDP 127.0.0.1:25061;branch=z9hG4bK-28411-1-2",
            "m: sip:u00001@127.0.0.1:25061", "l: 0", "c: application/sdp");

    @Test
    void commonShapes_areHandledByTheFastPath() {
        List<String> declined = new ArrayList<>();
        for (String line : MUST_HANDLE) {
            assertTrue(agreesWithRi(line), () -> "the RI itself rejects must-handle line " + show(line));
            if (FastHeaders.parse(line) == null) {
                declined.add(show(line));
            }
        }
        assertTrue(declined.isEmpty(), () -> "FastHeaders declined " + declined.size() + " of " + MUST_HANDLE.size()
                + " common shapes:\n  " + String.join("\n  ", declined));
    }

    // ------------------------------------------------------------------------------------------ corpus

    /** Lines the RI rejects: FastHeaders must return null for every one of them. */
    static final List<String> MALFORMED = List.of(
            "CSeq 1 INVITE", "CSeq:", "CSeq: ", "CSeq: INVITE", "CSeq: 1", "CSeq: -1 INVITE", "CSeq: x INVITE",
            "CSeq: 1 INV ITE", "CSeq: 1 INVITE extra", "CSeq: +1 INVITE", "CSeq: 1 INVITE;x=y", "CSeq: 2147483649 INVITE",
            "CSeq: 4294967295 INVITE", "CSeq: 99999999999999999999 INVITE",
            "Max-Forwards: abc", "Max-Forwards:", "Max-Forwards: 7 0", "Max-Forwards: 70;x", "Max-Forwards: 1.0",
            "Max-Forwards: 256", "Max-Forwards: -1", "Max-Forwards: +1",
            "Content-Length: -1", "Content-Length:", "Content-Length: 1.5", "Content-Length: 0x10", "Content-Length: +1",
            "Content-Length: 2147483648",
            "Content-Type:", "Content-Type: application", "Content-Type: application/", "Content-Type: /sdp",
            "Content-Type: application/sdp;", "Content-Type: application / sdp",
            "Via:", "Via: SIP/2.0/UDP", "Via: SIP/2.0/UDP ", "Via: SIP/2.0 host", "Via: host", "Via: SIP/2.0/UDP host:",
            "Via: SIP/2.0/UDP host;branch=", "Via: SIP/2.0/UDP host;branch", "Via: SIP/2.0/UDP host;",
            "Via: SIP/2.0/UDP host:abc;branch=z9hG4bK1", "Via: SIP/2.0/UDP host:99999999999",
            "From:", "From: alice", "From: <sip:alice@", "From: <sip:alice@example.com", "From: sip:alice@example.com>",
            "From: \"Alice <sip:alice@example.com>", "From: <>", "From: <sip:alice@example.com>;tag=1 garbage",
            "From: <sip:alice@exa mple.com>", "From: <sip:alice@example.com>>",
            "To: <>", "To:", "To: <sip:>", "To: <sip:bob@>",
            "Contact:", "Contact: <>", "Contact: <sip:alice@pc33.example.com>,", "Contact: <sip:alice@pc33.example.com>;",
            "Contact: <sip:a@b> <sip:c@d>", "Contact: **", "Contact: *;expires=0",
            "Authorization:", "Authorization: Digest ,username=\"a\"", "Authorization: Digest =\"a\"",
            "Authorization: Digest username=\"a\" realm=\"b\"", "Authorization: Digest username=\"a\";realm=\"b\"",
            "Authorization: Digest username=\"a\",,realm=\"r\"",
            "", " ", ": 0", "CSeq", "X: ", "CSeq: 1 INV\u0000ITE", "Max-Forwards: 7\u007f0", "CSeq:\u00a01 INVITE",
            "Via: SIP/2.0/UDP host\u0000;branch=z9hG4bK1", "Content-Length:\u00a00", "Content-Length: 0\u00a0",
            "To: <sip:b\u0000b@c>", "Contact: <sip:a@b>\u000b", "Content-Type: application/sdp\u0000",
            "Authorization: Digest username=\"a\u0000\",realm=\"r\"");

    /** Lines that look malformed but the RI accepts: FastHeaders may decline them, or must match the RI exactly. */
    static final List<String> RI_LENIENT = List.of(
            "CSeq: 1INVITE", "Call-ID:", "Call-ID: ", "Call-ID: a b", "Call-ID: abc@def@ghi", "Call-ID: @abc", "Call-ID: abc@",
            "Call-ID: <x>", "Call-ID: abc\u0001def", "Content-Type: application/sdp;charset", "Via: SIP/2.0/UDP host,",
            "Via: SIP/2.0/UDP host;rport=abc", "Via: SIP/2.0/UDP host:65536", "Via: SIP/2.0/UDP 300.1.1.1;branch=z9hG4bK1",
            "From: Alice\" <sip:alice@example.com>", "From: <sip:alice@example.com>;tag=", "From: \"A\u0007\" <sip:a@b>;tag=1",
            "To: <sip:bob@biloxi.example.com;>", "Contact: ,<sip:a@b>", "Contact: <sip:alice@192.0.2.1>;q=abc",
            "Authorization: Digest", "Authorization: Digest ", "Authorization: Digest username=\"a\",",
            "Authorization: Digest username=\"unterminated", "Authorization: Digest username=", "Proxy-Authorization: Digest");

    static final List<String> CSEQ_AND_NUMBERS = List.of(
            "CSeq: 0 INVITE", "CSeq: 4294967295 INVITE", "CSeq: 2147483648 REGISTER", "CSeq: 4294967296 INVITE",
            "CSeq: 9223372036854775807 INVITE", "CSeq: 99999999999999999999 INVITE", "CSeq: 001 INVITE",
            "CSeq: +1 INVITE", "CSeq: 1 invite", "CSeq: 1 Invite", "CSeq: 7 FOO", "CSeq: 7 foo-bar.baz",
            "CSeq:1 INVITE", "CSeq:  1  INVITE  ", "CSeq:\t1\tINVITE", "CSeq : 1 INVITE", "CSeq\t: 1 INVITE",
            "cseq: 20 OPTIONS", "CSEQ: 3 SUBSCRIBE", "CSeq: 1 REGISTER", "CSeq: 1 PRACK", "CSeq: 1 INFO",
            "CSeq: 1 MESSAGE", "CSeq: 1 NOTIFY", "CSeq: 1 UPDATE", "CSeq: 1 REFER", "CSeq: 1 PUBLISH",
            "CSeq: 1 CANCEL", "CSeq: 1 INVITE ", "CSeq: 1 INVITE;x=y", "CSeq: 1 I%VITE",
            "Call-ID: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com", "Call-ID: 3848276298220188511@atlanta.example.com",
            "Call-ID: ZTM3YjdmZDk1ZjQ0NjQ5MTdiMjRlZGJhNzQ3YWE3YmM.", "Call-ID: 0ba2e0f8-5f1e-4b4b-9d3d-0b9c0f1f6e3a",
            "Call-ID: 5f5e0b3a0c2d4e1f7c55a6b14a2e0d43@192.0.2.10:5060", "Call-ID: 9d1b7e0a-8b4f-1236-3a2f-0242ac110002",
            "Call-ID: 1b2c3d4e5f60718293a4b5c6d7e8f901@0.0.0.0", "Call-ID: 7a4b3f2c1d@[2001:db8::1]",
            "Call-ID:  spaced  ", "Call-ID:x", "call-id: lower", "Call-Id: Mixed", "I: compact", "Call-ID: 12345%40x",
            "Call-ID: a\"b", "Call-ID: a;b", "Call-ID: (paren)", "Call-ID: a/b?c{}[]", "Call-ID: UPPER@HOST.EXAMPLE",
            "Max-Forwards: 0", "Max-Forwards: 255", "Max-Forwards: 256", "Max-Forwards: -1", "Max-Forwards: 070",
            "Max-Forwards: +1", "Max-Forwards: 2147483647", "Max-Forwards: 2147483648", "max-forwards: 69",
            "MAX-FORWARDS:70", "Max-Forwards:\t70\t", "Max-Forwards :70", "Max-Forwards: 70 ",
            "Content-Length: 2147483647", "Content-Length: 2147483648", "Content-Length: 99999999999",
            "Content-Length: 00042", "Content-Length: +1", "L: 12", "Content-Length:0", "content-length: 5",
            "Content-Length : 0", "Content-Length: 0 ", "Content-Length:\t0");

    static final List<String> CONTENT_TYPE = List.of(
            "Content-Type: application/SDP", "Content-Type: Application/Sdp", "Content-Type: application/sdp ",
            "Content-Type: application / sdp", "Content-Type: application/sdp; charset=UTF-8",
            "Content-Type: application/sdp;charset=utf-8", "Content-Type: text/plain; charset=\"UTF-8\"",
            "Content-Type: multipart/mixed;boundary=unique-boundary-1",
            "Content-Type: multipart/mixed; boundary=\"----=_Part_0_12345.67890\"",
            "Content-Type: application/pidf+xml", "Content-Type: message/sipfrag;version=2.0",
            "Content-Type: application/dtmf-relay", "Content-Type: */*", "Content-Type: application/sdp; a=1; b=2",
            "Content-Type: application/sdp;a=1;a=2", "Content-Type: application/sdp ; charset = UTF-8",
            "Content-Type: application/vnd.3gpp.sms", "content-type: text/html", "C: application/sdp",
            "Content-Type:application/sdp", "Content-Type: application/sdp;charset=\"\"");

    static final List<String> VIA = List.of(
            "Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKPj3f1c2a4b-5d6e",
            "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK.Xy1Zq2Ab3;rport",
            "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-524287-1---4d1b5c0e8a9f2b3c;rport",
            "Via: SIP/2.0/UDP 192.0.2.20;rport;branch=z9hG4bK3Q8y7Hj0",
            "Via: SIP/2.0/UDP 127.0.0.1:25061;branch=z9hG4bK-28411-1-0",
            "Via: SIP/2.0/UDP 203.0.113.7;branch=z9hG4bK1a2b.3c4d;received=198.51.100.2;rport=5062",
            "Via: SIP/2.0/TCP 10.1.1.1:5060;branch=z9hG4bKabc;alias",
            "Via: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashd92",
            "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks", "Via: SIP/2.0/SCTP 192.0.2.1;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1", "Via: SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1",
            "Via: SIP/2.0/UDP [2001:DB8::A];branch=z9hG4bK1", "Via: SIP/2.0/UDP PC33.Example.COM;branch=z9hG4bK1",
            "Via: SIP/2.0/udp host;branch=z9hG4bK1", "Via: sip/2.0/UDP host;branch=z9hG4bK1",
            "Via: SIP/2.0/FOO host;branch=z9hG4bK1", "Via: SIP / 2.0 / UDP host;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP  host ; branch = z9hG4bK1", "Via: SIP/2.0/UDP\thost;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP host;maddr=224.2.0.1;ttl=16;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2",
            "Via: SIP/2.0/UDP a;branch=z9hG4bK1,SIP/2.0/TCP b:5070;branch=z9hG4bK2",
            "Via: SIP/2.0/UDP host:5060;branch=z9hG4bK1 (comment)", "Via: SIP/2.0/UDP host:0;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP host:65535", "Via: SIP/2.0/UDP host:65536", "Via: SIP/2.0/UDP host:99999999999",
            "Via: SIP/2.0/UDP host;branch", "Via: SIP/2.0/UDP host;branch=\"quoted\"",
            "Via: SIP/2.0/UDP host;received=2001:db8::2", "Via: SIP/2.0/UDP host;rport=",
            "Via: SIP/2.0/UDP host;branch=z9hG4bK1;branch=z9hG4bK2", "Via: SIP/3.0/UDP host",
            "VIA: SIP/2.0/UDP host;branch=z9hG4bK1", "via: SIP/2.0/UDP host;branch=z9hG4bK1",
            "V: SIP/2.0/UDP host;branch=z9hG4bK1", "Via: SIP/2.0/UDP host;branch=z9hG4bK1 ",
            "Via: SIP/2.0/UDP host_name;branch=z9hG4bK1", "Via: SIP/2.0/UDP 1.2.3.4.5;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP 300.1.1.1;branch=z9hG4bK1", "Via: SIP/2.0/UDP host;Branch=z9hG4bK1",
            "Via: SIP/2.0/UDP host;BRANCH=z9hG4bK1;RPORT", "Via: SIP/2.0/UDP host;x-foo=\"a b\";branch=z9hG4bK1",
            "Via:SIP/2.0/UDP host;branch=z9hG4bK1", "Via: SIP/2.0/UDP host;received=;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP host;rport;rport=5060");

    static final List<String> FROM_TO = List.of(
            "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl",
            "From: Alice Liddell <sip:alice@atlanta.example.com>;tag=1", "From: Alice  Liddell <sip:a@example.com>;tag=1",
            "From: \"\" <sip:anonymous@anonymous.invalid>;tag=x", "From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=hyh8",
            "From: \"Quote \\\"Q\\\" Person\" <sip:q@example.com>;tag=1", "From: \"back\\\\slash\" <sip:q@example.com>;tag=1",
            "From: \"J\u00fcrgen M\u00fcller\" <sip:juergen@example.de>;tag=1", "From: J\u00fcrgen <sip:j@example.de>;tag=1",
            "From: \"\u5f20\u4e09\" <sip:zhang@example.cn>;tag=1", "From: sip:alice@example.com;tag=1",
            "From: <sip:alice@example.com;user=phone>;tag=1", "From: <sip:+15551234567@trunk.example.com;user=phone>;tag=1",
            "From: \"+15551234567\" <sip:+15551234567@54.172.60.0>;tag=73514871_6772d868_c8d5f3d8",
            "From: <sip:alice@EXAMPLE.COM>;tag=1", "From: <SIP:alice@example.com>;tag=1", "From: <sips:alice@example.com>;tag=1",
            "From: <tel:+15551234567>;tag=1", "From: <sip:alice:secret@example.com>;tag=1",
            "From: <sip:alice%20smith@example.com>;tag=1", "From: <sip:first.last-name_x@example.com>;tag=1",
            "From: <sip:example.com>;tag=1", "From: <sip:alice@[2001:db8::1]:5060>;tag=1",
            "From: <sip:alice@example.com?Subject=x>;tag=1", "From: <sip:alice@example.com>;tag=1;x-param",
            "From: <sip:alice@example.com>;tag=1;foo=\"bar baz\"", "From: <sip:alice@example.com> ; tag = 1",
            "From:<sip:alice@example.com>;tag=1", "From: <sip:alice@example.com>;tag=1;tag=2", "From: <sip:alice@example.com>;tag",
            "From: Alice<sip:alice@example.com>", "From: \"Alice\"<sip:alice@example.com>;tag=1",
            "From: sipp <sip:sipp@127.0.0.1:5061>;tag=1", "From: \"1001\" <sip:1001@192.0.2.10>;tag=as6b3a1b2c",
            "From: \"Extension 1000\" <sip:1000@192.0.2.20>;tag=Fr3aQ1N9g4K5e", "From: <sip:alice@example.com>;TAG=Abc",
            "From: <sip:alice@example.com:5060;transport=TCP>;tag=1", "From: <sip:alice@example.com> ",
            "From: \"A\" <sip:a@b>;tag=1;epid=1a2b3c4d", "F: <sip:a@b>;tag=1", "FROM: <sip:a@b>;tag=1",
            "To: <sip:bob@biloxi.example.com>", "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356",
            "To: sip:bob@biloxi.example.com", "t: <sip:bob@b>", "T: Bob <sip:bob@b>", "to: <sip:bob@b>",
            "To: \"Bob\" <sips:bob@biloxi.example.com:5061;transport=tls>",
            "To: <sip:+15557654321@trunk.example.com:5060;user=phone>", "To: <sip:1000@192.0.2.20;transport=TCP>",
            "To: <sip:bob@biloxi.example.com;maddr=239.255.255.1;ttl=15>", "To: <sip:bob@biloxi.example.com;lr>",
            "To: sip:bob@biloxi.example.com;transport=tcp", "To: <sip:bob@biloxi.example.com>;tag=a;x=\"\"",
            "To: \"\\\"\" <sip:q@b>", "To: <sip:alice@pc33.example.com;ob>", "To: <sip:bob@b>;x=y;tag=a",
            "From: <sip:a@b>;tag=a;x=y", "From: \"  Alice  \" <sip:a@b>;tag=1", "To: <sip:bob@b>;tag=a;tag=b");

    static final List<String> CONTACT = List.of(
            "Contact: <sip:alice@192.0.2.1:5060;transport=udp>;expires=3600",
            "Contact: <sip:alice@192.0.2.1>;q=0.7;expires=3600", "Contact: <sip:alice@192.0.2.1>;q=1.5",
            "Contact: <sip:alice@192.0.2.1>;q=abc", "Contact: <sip:alice@192.0.2.1>;q=",
            "Contact: <sip:alice@10.0.0.5:5060;ob>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1",
            "Contact: <sip:alice@10.0.0.5;transport=udp>;expires=3600;+sip.instance=\"<urn:uuid:0f4b1e7a-1a9c-4d3e-9a55-7b1f0c2d3e4f>\";+org.linphone.specs=\"lime\"",
            "Contact: <sip:1001@192.168.1.20:5060;rinstance=8b1f2a3c4d5e6f70;transport=UDP>",
            "Contact: <sip:asterisk@192.0.2.10:5060>", "Contact: <sip:mod_sofia@192.0.2.20:5060>",
            "Contact: <sip:bob@10.0.0.7:5060;alias=203.0.113.7~5062~1>", "Contact: \"Alice\" <sip:alice@pc33.example.com>;expires=0",
            "Contact: <sip:a@x>, <sip:b@y>", "Contact: <sip:a@x>;q=0.5,<sip:b@y>;q=0.1", "Contact: sip:a@x, sip:b@y",
            "Contact: *", "Contact:*", "Contact: * ", "Contact: *;expires=0",
            "Contact: <sip:alice@pc33.example.com>;methods=\"INVITE, BYE\"",
            "Contact: <sips:alice@[2001:db8::10]:5061;transport=tls>", "Contact: <sip:alice@pc33.example.com>;expires=abc",
            "Contact: <sip:alice@pc33.example.com>;expires=-1", "Contact: <sip:alice@pc33.example.com>;expires=4294967296",
            "Contact: sip:alice@host;expires=60", "Contact: <urn:uuid:abc>", "Contact: <mailto:a@b>", "Contact: <tel:+1555>",
            "m: <sip:alice@pc33.example.com>", "M: sip:a@b", "contact: <sip:a@b>", "CONTACT: <sip:a@b>",
            "Contact: <sip:alice@pc33.example.com;lr>", "Contact: <sip:alice@pc33.example.com;maddr=10.0.0.1>",
            "Contact: <sip:alice@PC33.EXAMPLE.COM>", "Contact: <sip:alice@pc33.example.com>;Expires=60",
            "Contact: Alice <sip:alice@pc33.example.com>", "Contact: <sip:alice@pc33.example.com;transport=TCP>",
            "Contact: <sip:alice@pc33.example.com>;+sip.ice;reg-id=2", "Contact: <sip:a@b>;expires=60, <sip:c@d>;expires=30");

    static final List<String> AUTHORIZATION = List.of(
            "Authorization: Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    + "uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
                    + "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            "Authorization: Digest username=\"u\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\",algorithm=SHA-256",
            "Authorization: Digest username=\"u\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\",algorithm=\"MD5\"",
            "Authorization: Digest username=\"u\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\",opaque=\"\"",
            "Authorization: Digest username=\"\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\"",
            "Authorization: Digest username=\"u\",realm=\"a\",realm=\"b\",nonce=\"n\"",
            "Authorization: digest username=\"u\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\"",
            "Authorization: DIGEST username=\"u\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\"",
            "Authorization: Basic dXNlcjpwYXNz", "Authorization: Bearer eyJhbGciOi.xyz", "Authorization: NTLM TlRMTVNTUAABAAAA",
            "Authorization: Digest username=\"a\"", "Authorization: Digest username = \"a\" , realm = \"b\"",
            "Authorization: Digest\tusername=\"a\"", "Authorization:  Digest  username=\"a\"", "Authorization:Digest username=\"a\"",
            "Authorization: Digest username=\"J\u00fcrgen\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\"",
            "Authorization: Digest username=\"a\\\"b\",realm=\"r\"", "Authorization: Digest username=\"a\\\\\",realm=\"r\"",
            "Authorization: Digest username=\"a,b\",realm=\"r=s\"",
            "Authorization: Digest username=\"a\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\",algorithm=MD5-sess,"
                    + "qop=auth-int,nc=00000002,cnonce=\"c\"",
            "Authorization: Digest username=\"a\",qop=\"auth\",nc=00000001", "Authorization: Digest username=\"a\",nc=0000000g",
            "Authorization: Digest username=\"a\";realm=\"b\"", "Authorization: Digest x-custom=token, username=\"a\"",
            "Authorization: Digest username=a,realm=r", "Authorization: Digest USERNAME=\"a\",Realm=\"r\"",
            "Authorization: Digest realm=\"asterisk\", nonce=\"1c2d3e4f\", algorithm=SHA-256, username=\"1001\",  "
                    + "uri=\"sip:192.0.2.10\", response=\"ab12\", cnonce=\"Xy\", nc=00000001, qop=auth",
            "Authorization: Digest username=\"1001\",realm=\"asterisk\",nonce=\"1c2d3e4f\",uri=\"sip:192.0.2.10;transport=UDP\","
                    + "response=\"8f2c\",cnonce=\"e5f6\",nc=00000001,qop=auth,algorithm=MD5",
            "Authorization: Digest username=\"a\",realm=\"r\" ", "authorization: Digest username=\"a\",realm=\"r\"",
            "AUTHORIZATION: Digest username=\"a\",realm=\"r\"", "Authorization: Digest username=\"a\",,realm=\"r\"",
            "Proxy-Authorization: Digest username=\"a\",realm=\"r\",nonce=\"n\",uri=\"sip:b@c\",response=\"x\",algorithm=SHA-256",
            "proxy-authorization: digest username=\"a\",realm=\"r\"", "PROXY-AUTHORIZATION: Digest username=\"a\"",
            "Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: Digest username=\"a\", realm=\"\"");

    static final List<String> OTHER = List.of(
            // other header types and look-alike names: FastHeaders must leave them alone or match the RI exactly
            "Subject: hi", "User-Agent: Zoiper rv2.10.20.3", "Route: <sip:p1.example.com;lr>",
            "Record-Route: <sip:10.0.0.1;lr;ftag=abc>", "Expires: 3600", "Allow: INVITE, ACK, BYE", "X-Custom: y",
            "Call-Info: <http://wwww.example.com/alice/photo.jpg>;purpose=icon", "Contact-X: <sip:a@b>", "Fromage: x",
            "Tox: y", "Via-X: SIP/2.0/UDP host", "CSeqs: 1 INVITE", "Content-Lengthy: 0", "Max-Forward: 70",
            "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"", "Authentication-Info: nextnonce=\"x\"",
            ": 0", "", " ", "CSeq", "Call-ID", "X: ", "Authorization",
            // control characters and odd whitespace
            "CSeq: 1 INV\u0000ITE", "Call-ID: abc\u0001def", "Max-Forwards: 7\u007f0", "From: \"A\u0007\" <sip:a@b>;tag=1",
            "Via: SIP/2.0/UDP host\u0000;branch=z9hG4bK1", "Content-Length:\u00a00", "Content-Length: 0\u00a0",
            "CSeq:\u00a01 INVITE", "To: <sip:b\u0000b@c>", "Contact: <sip:a@b>\u000b", "Call-ID: \u00e9t\u00e9",
            "Authorization: Digest username=\"a\u0000\",realm=\"r\"", "Content-Type: application/sdp\u0000");

    static Stream<Arguments> corpus() {
        return Stream.of(MUST_HANDLE, MALFORMED, RI_LENIENT, CSEQ_AND_NUMBERS, CONTENT_TYPE, VIA, FROM_TO, CONTACT,
                        AUTHORIZATION, OTHER)
                .flatMap(List::stream)
                .distinct()
                .map(line -> Arguments.of(Named.of(show(line), line)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusLines_agreeWithTheRiParser(String line) {
        agreesWithRi(line);
    }

    @Test
    void malformedLines_areLeftToTheRiParser() {
        for (String line : MALFORMED) {
            assertFalse(agreesWithRi(line), () -> "the RI accepts " + show(line) + ": not a malformed line");
        }
    }

    @Test
    void linesTheRiAcceptsDespiteLookingMalformed_areDeclinedOrBuiltExactlyAsTheRiDoes() {
        for (String line : RI_LENIENT) {
            assertTrue(agreesWithRi(line), () -> "the RI rejects " + show(line) + ": it belongs in MALFORMED");
        }
    }

    @Test
    void commonRequestLines_areHandledByTheFastPath() {
        for (String line : List.of("INVITE sip:service@load.sipauth.test SIP/2.0", "ACK sip:u00001@127.0.0.1:25061 SIP/2.0",
                "INVITE sip:+15551234567@trunk.example.com;transport=udp SIP/2.0", "BYE sip:bob@192.0.2.4 SIP/2.0",
                "OPTIONS sip:proxy.example.com:5060 SIP/2.0", "INVITE sips:bob@Biloxi.Example.COM SIP/2.0")) {
            assertTrue(requestLineAgreesWithRi(line), () -> "the RI rejects " + show(line));
            assertTrue(FastHeaders.requestLine(line) != null, () -> "FastHeaders declined " + show(line));
        }
    }

    @Test
    void unusualRequestLines_areLeftToTheRiOrBuiltAsItDoes() {
        for (String line : List.of("INVITE sip:a@b SIP/2.1", "INVITE  sip:a@b SIP/2.0", "INVITE sip:a@b  SIP/2.0",
                "INVITE sip:a@b SIP/2.0 ", "invite sip:a@b SIP/2.0", "FOO sip:a@b SIP/2.0", "SIP sip:a@b SIP/2.0",
                "INVITE tel:+15551234567 SIP/2.0", "INVITE sip:a%20b@c SIP/2.0", "INVITE sip:a@[2001:db8::1] SIP/2.0",
                "INVITE sip:a:pw@b SIP/2.0", "INVITE sip:a@b?Subject=x SIP/2.0", "INVITE sip:a@b;lr SIP/2.0",
                "INVITE SIP:a@b SIP/2.0", "INVITE sip:@b SIP/2.0", "INVITE sip: SIP/2.0", "INVITE sip:a@b sip/2.0",
                "INVITE sip:a@b:99999 SIP/2.0", "INVITE sip:a@b SIP/2.0\u0000", "INVITE sip:\u00e9@b SIP/2.0")) {
            requestLineAgreesWithRi(line);
        }
    }
}
