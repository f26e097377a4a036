package org.sipauth.jainsip;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link FastHeaders} against the RI's parser on generated lines (jqwik): the oracle of
 * {@link FastHeadersTest}, applied to headers and request lines built from valid parts, case and
 * white-space variants and noise.
 *
 * <p>Apart from {@code FastHeadersTest} because a class with both jqwik properties and Jupiter tests
 * runs under both engines as two test sets of one name, and surefire's XML report of the second
 * replaces the first.
 */
class FastHeadersPropertyTest {

    @Property(tries = 1000)
    void generatedSimpleHeaders_agreeWithTheRiParser(@ForAll("simpleHeaders") String line) {
        collectVerdict(FastHeadersTest.agreesWithRi(line));
    }

    @Property(tries = 1000)
    void generatedVias_agreeWithTheRiParser(@ForAll("vias") String line) {
        collectVerdict(FastHeadersTest.agreesWithRi(line));
    }

    @Property(tries = 1000)
    void generatedAddressHeaders_agreeWithTheRiParser(@ForAll("addressHeaders") String line) {
        collectVerdict(FastHeadersTest.agreesWithRi(line));
    }

    @Property(tries = 1000)
    void generatedAuthorizations_agreeWithTheRiParser(@ForAll("authorizations") String line) {
        collectVerdict(FastHeadersTest.agreesWithRi(line));
    }

    @Property(tries = 1000)
    void generatedRequestLines_agreeWithTheRiParser(@ForAll("requestLines") String line) {
        collectVerdict(FastHeadersTest.requestLineAgreesWithRi(line));
    }

    /** Counts RI verdicts and fails a property whose generator stops producing lines the RI accepts. */
    private static void collectVerdict(boolean riAccepts) {
        Statistics.collect(riAccepts ? "RI accepts" : "RI rejects");
        Statistics.coverage(c -> c.check("RI accepts").percentage(p -> p >= 15));
    }

    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
    private static final String SPECIALS = "\"<>;,=@:% \t";

    @SafeVarargs
    private static Arbitrary<String> cat(Arbitrary<String>... parts) {
        return Combinators.combine(List.of(parts)).as(l -> String.join("", l));
    }

    private static Arbitrary<String> lit(String s) {
        return Arbitraries.just(s);
    }

    private static Arbitrary<String> noise() {
        return Arbitraries.strings().withChars(TOKEN_CHARS + SPECIALS + "\\/[]?()\u00e9").ofMaxLength(8);
    }

    /** Mostly the valid part, sometimes noise. */
    private static Arbitrary<String> or(Arbitrary<String> valid) {
        return Arbitraries.frequencyOf(Tuple.of(12, valid), Tuple.of(1, noise()));
    }

    private static Arbitrary<String> token(int maxLength) {
        return Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(1).ofMaxLength(maxLength);
    }

    private static Arbitrary<String> ws() {
        return Arbitraries.frequency(Tuple.of(12, ""), Tuple.of(3, " "), Tuple.of(1, "  "), Tuple.of(1, "\t"));
    }

    private static Arbitrary<String> sp() {
        return Arbitraries.frequency(Tuple.of(12, " "), Tuple.of(1, "  "), Tuple.of(1, "\t"), Tuple.of(1, " \t"));
    }

    private static Arbitrary<String> randomCase(String s) {
        Arbitrary<String> mixed = Arbitraries.integers().map(bits -> {
            StringBuilder b = new StringBuilder(s);
            for (int i = 0; i < b.length(); i++) {
                char c = b.charAt(i);
                b.setCharAt(i, (bits >> (i % 31) & 1) == 1 ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
            return b.toString();
        });
        return Arbitraries.frequencyOf(Tuple.of(6, lit(s)), Tuple.of(1, lit(s.toLowerCase())),
                Tuple.of(1, lit(s.toUpperCase())), Tuple.of(2, mixed));
    }

    private static Arbitrary<String> optional(Arbitrary<String> a) {
        return Arbitraries.frequencyOf(Tuple.of(1, lit("")), Tuple.of(1, a));
    }

    /** "Name:" with case, compact-form and whitespace variants, then the value and maybe trailing white space. */
    private static Arbitrary<String> header(String name, String compact, Arbitrary<String> value) {
        Arbitrary<String> names = compact == null ? randomCase(name)
                : Arbitraries.frequencyOf(Tuple.of(4, randomCase(name)), Tuple.of(1, randomCase(compact)));
        Arbitrary<String> colon = Arbitraries.frequency(Tuple.of(10, ": "), Tuple.of(3, ":"), Tuple.of(1, " : "),
                Tuple.of(1, ":\t"), Tuple.of(1, ":  "), Tuple.of(1, " "));
        return cat(names, colon, value, ws());
    }

    private static Arbitrary<String> number() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(0, 300).map(String::valueOf)),
                Tuple.of(2, Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("0", "-1", "+1", "007", "70", "255", "256", "2147483647", "2147483648",
                        "4294967295", "4294967296", "99999999999999999999", "1.5", "")),
                Tuple.of(1, noise()));
    }

    private static Arbitrary<String> quoted() {
        Arbitrary<String> content = Arbitraries.strings()
                .withChars(TOKEN_CHARS + " ,;:@<>=/\t\u00e9\u4e2d").withChars('\\', '"').ofMaxLength(12);
        Arbitrary<String> escaped = Arbitraries.strings().withChars(TOKEN_CHARS + " ,;:@<>=").ofMaxLength(12)
                .map(s -> s.replace('~', '"')).map(s -> s.replace("\"", "\\\""));
        return Arbitraries.frequencyOf(Tuple.of(3, escaped), Tuple.of(1, content)).map(s -> "\"" + s + "\"");
    }

    /** ";name=value" parameters: known names, random tokens, flags, quoted values and noise. */
    private static Arbitrary<String> params(int max, String... knownNames) {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(knownNames)), Tuple.of(2, token(8)),
                Tuple.of(1, noise()));
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(5, token(12)), Tuple.of(2, quoted()),
                Tuple.of(1, number()), Tuple.of(1, noise()));
        Arbitrary<String> one = cat(ws(), or(lit(";")), ws(), name, optional(cat(ws(), lit("="), ws(), value)));
        return one.list().ofMaxSize(max).map(l -> String.join("", l));
    }

    private static Arbitrary<String> host() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-')
                .ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> name = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))
                .flatMap(FastHeadersPropertyTest::randomCase);
        Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 300).list().ofSize(4)
                .map(l -> l.stream().map(String::valueOf).reduce((x, y) -> x + "." + y).orElseThrow());
        Arbitrary<String> ipv6 = Arbitraries.of("[2001:db8::1]", "[::1]", "[2001:DB8:0:0:8:800:200C:417A]", "[fe80::1%25eth0]",
                "[2001:db8::1", "2001:db8::1");
        return Arbitraries.frequencyOf(Tuple.of(5, name), Tuple.of(4, ipv4), Tuple.of(1, ipv6), Tuple.of(1, noise()));
    }

    private static Arbitrary<String> hostPort() {
        Arbitrary<String> port = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(0, 70000).map(String::valueOf)),
                Tuple.of(1, number()));
        return cat(host(), optional(cat(lit(":"), port)));
    }

    @Provide
    Arbitrary<String> simpleHeaders() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("INVITE", "ACK", "BYE", "REGISTER", "OPTIONS", "CANCEL", "invite", "Foo")),
                Tuple.of(2, token(10)), Tuple.of(1, noise()));
        Arbitrary<String> callId = Arbitraries.frequencyOf(Tuple.of(4, token(24)), Tuple.of(3, cat(token(16), lit("@"), host())),
                Tuple.of(1, noise()));
        Arbitrary<String> type = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("application", "text", "multipart", "message", "*").flatMap(FastHeadersPropertyTest::randomCase)),
                Tuple.of(1, token(10)), Tuple.of(1, noise()));
        Arbitrary<String> subtype = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("sdp", "plain", "mixed", "sipfrag", "pidf+xml", "*").flatMap(FastHeadersPropertyTest::randomCase)),
                Tuple.of(1, token(10)), Tuple.of(1, noise()));
        return Arbitraries.oneOf(
                header("CSeq", null, cat(number(), or(sp()), method)),
                header("Call-ID", "i", callId),
                header("Max-Forwards", null, number()),
                header("Content-Length", "l", number()),
                header("Content-Type", "c", cat(type, ws(), or(lit("/")), ws(), subtype,
                        params(3, "charset", "boundary", "version"))));
    }

    @Provide
    Arbitrary<String> vias() {
        Arbitrary<String> transport = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("UDP", "TCP", "TLS", "SCTP", "WS", "WSS").flatMap(FastHeadersPropertyTest::randomCase)),
                Tuple.of(1, token(6)), Tuple.of(1, noise()));
        Arbitrary<String> via = cat(or(randomCase("SIP")), ws(), lit("/"), ws(), or(lit("2.0")), ws(), or(lit("/")), ws(),
                transport, or(sp()), hostPort(), params(4, "branch", "rport", "received", "maddr", "ttl", "alias"));
        Arbitrary<String> vias = via.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
        return header("Via", "v", vias);
    }

    private static Arbitrary<String> uri() {
        Arbitrary<String> scheme = Arbitraries.frequencyOf(Tuple.of(8, randomCase("sip")), Tuple.of(2, randomCase("sips")),
                Tuple.of(1, lit("tel")), Tuple.of(1, noise()));
        Arbitrary<String> user = Arbitraries.frequencyOf(Tuple.of(6, token(10)), Tuple.of(2, Arbitraries.of("+15551234567",
                "alice%20smith", "first.last", "*67", "u00001")), Tuple.of(1, noise()));
        Arbitrary<String> userInfo = optional(cat(user, optional(cat(lit(":"), token(6))), lit("@")));
        Arbitrary<String> uriHeaders = optional(cat(lit("?"), token(6), lit("="), token(6)));
        return cat(scheme, lit(":"), userInfo, hostPort(), params(2, "transport", "lr", "ob", "user", "maddr"), uriHeaders);
    }

    private static Arbitrary<String> address(String... headerParams) {
        Arbitrary<String> words = token(8).list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(" ", l));
        Arbitrary<String> display = Arbitraries.frequencyOf(Tuple.of(3, lit("")), Tuple.of(2, cat(words, sp())),
                Tuple.of(2, cat(quoted(), ws())), Tuple.of(1, noise()));
        Arbitrary<String> nameAddr = cat(display, or(lit("<")), uri(), or(lit(">")));
        return cat(Arbitraries.frequencyOf(Tuple.of(3, nameAddr), Tuple.of(1, uri())), params(3, headerParams));
    }

    @Provide
    Arbitrary<String> addressHeaders() {
        Arbitrary<String> contacts = address("expires", "q", "+sip.instance", "reg-id", "methods").list()
                .ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
        return Arbitraries.oneOf(
                header("From", "f", address("tag", "epid")),
                header("To", "t", address("tag")),
                header("Contact", "m", Arbitraries.frequencyOf(Tuple.of(8, contacts), Tuple.of(1, lit("*")))));
    }

    @Provide
    Arbitrary<String> authorizations() {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("username", "realm", "nonce", "uri",
                "response", "algorithm", "cnonce", "opaque", "qop", "nc")), Tuple.of(1, token(8)), Tuple.of(1, noise()));
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(5, quoted()), Tuple.of(3, Arbitraries.of("MD5",
                "SHA-256", "auth", "00000001", "MD5-sess")), Tuple.of(1, token(10)), Tuple.of(1, noise()));
        Arbitrary<String> param = cat(name, ws(), or(lit("=")), ws(), value);
        Arbitrary<String> comma = Arbitraries.frequency(Tuple.of(4, ","), Tuple.of(4, ", "), Tuple.of(1, " , "),
                Tuple.of(1, ",\t"), Tuple.of(1, ";"));
        Arbitrary<String> params = Combinators.combine(param.list().ofMinSize(1).ofMaxSize(6), comma)
                .as((l, c) -> String.join(c, l));
        Arbitrary<String> scheme = Arbitraries.frequencyOf(Tuple.of(8, randomCase("Digest")), Tuple.of(1, lit("Basic")),
                Tuple.of(1, noise()));
        Arbitrary<String> credentials = cat(scheme, or(sp()), params);
        return Arbitraries.oneOf(header("Authorization", null, credentials),
                header("Proxy-Authorization", null, credentials));
    }

    @Provide
    Arbitrary<String> requestLines() {
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("INVITE", "ACK", "BYE", "OPTIONS",
                "CANCEL", "REGISTER", "invite", "Foo", "SIP", "c")), Tuple.of(1, token(8)), Tuple.of(1, noise()));
        Arbitrary<String> version = Arbitraries.frequencyOf(Tuple.of(8, lit("SIP/2.0")), Tuple.of(1, randomCase("sip/2.0")),
                Tuple.of(1, noise()));
        return cat(method, or(sp()), uri(), or(sp()), version, ws());
    }
}
