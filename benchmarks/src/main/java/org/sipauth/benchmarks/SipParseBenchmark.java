package org.sipauth.benchmarks;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sipauth.jainsip.WireTextParserFactory;

/**
 * The jain-sip-ri message layer the listener pays for per datagram, as a baseline for work on it:
 * parsing the authenticated INVITE SIPp sends in the load harness (through sipauth's
 * {@link WireTextParserFactory}, as the server does), and the two identifiers the RI then computes
 * again and again from the parsed request (transaction id for every table look-up, merge id for
 * the merge table). The session-6 load profile put RI parsing at about 45 % of the SIP threads' CPU.
 * {@code parser=ri} is the RI's own {@code StringMsgParser}; {@code wire} adds the wire-text capture
 * and builds the common headers without the RI's lexer ({@code FastHeaders}).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SipParseBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
public class SipParseBenchmark extends BenchmarkDefaults {

    /** The second INVITE of the harness's call flow, shaped as SIPp 3.6 sends it. */
    static final String INVITE = """
            INVITE sip:service@load.sipauth.test SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.1:25061;branch=z9hG4bK-28411-1-2\r
            From: sipp <sip:u00001@load.sipauth.test>;tag=28411SIPpTag001\r
            To: <sip:service@load.sipauth.test>\r
            Call-ID: 1-28411@127.0.0.1\r
            CSeq: 2 INVITE\r
            Contact: sip:u00001@127.0.0.1:25061\r
            Authorization: Digest username="u00001",realm="sipauth",uri="sip:service@load.sipauth.test",\
            nonce="AAABjB0bA7sAAAAAAAAAAHNpcGF1dGgtYmVuY2gtbm9uY2UtdmFsdWUtMDEyMzQ1Njc4OQ",\
            response="6629fae49393a05397450978507c4ef1",algorithm=MD5\r
            Max-Forwards: 70\r
            Subject: Performance Test\r
            Content-Type: application/sdp\r
            Content-Length: 0\r
            \r
            """;

    @Param({"wire", "ri"})
    String parser;

    private byte[] datagram;
    private MessageParser messageParser;
    private SIPRequest parsed;

    @Setup(Level.Trial)
    public void setUp() throws ParseException {
        datagram = INVITE.getBytes(StandardCharsets.UTF_8);
        messageParser = parser.equals("ri") ? new StringMsgParser()
                : new WireTextParserFactory().createMessageParser(null);
        parsed = (SIPRequest) parse();
        if (!parsed.getTransactionId().equals("z9hg4bk-28411-1-2") || parsed.getMergeId() == null
                || parsed.getHeader("Authorization") == null) {
            throw new IllegalStateException("setup: unexpected parse " + parsed);
        }
    }

    /** One datagram to a parsed request, as a UDP worker thread does it. */
    @Benchmark
    public SIPMessage parse() throws ParseException {
        return messageParser.parseSIPMessage(datagram, true, false, null);
    }

    /** The transaction id of a parsed request (recomputed, case-folded, on every call). */
    @Benchmark
    public String transactionId() {
        return parsed.getTransactionId();
    }

    /** The merge id of a parsed request (re-encodes Request-URI and CSeq on every call). */
    @Benchmark
    public String mergeId() {
        return parsed.getMergeId();
    }
}
