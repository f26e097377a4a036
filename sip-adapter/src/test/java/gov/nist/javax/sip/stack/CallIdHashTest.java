package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallIdHashTest {

    private static int hash(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        return CallIdHash.of(bytes, 0, bytes.length);
    }

    private static String invite(String callIdLine) {
        return "INVITE sip:bob@example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@example.test>;tag=1\r\n"
                + callIdLine + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "\r\n";
    }

    @Test
    void fullAndCompactNames_anyCase_optionalBlanks_hashTheSameValueAlike() {
        int expected = hash(invite("Call-ID: abc@host"));
        assertNotEquals(CallIdHash.NONE, expected);
        assertEquals(expected, hash(invite("i: abc@host")));
        assertEquals(expected, hash(invite("CALL-id:abc@host")));
        assertEquals(expected, hash(invite("call-ID \t:  abc@host \t")));
        assertEquals(expected, hash(invite("I : abc@host")));
    }

    @Test
    void aResponse_hashesAsTheRequestOfItsCall() {
        String response = "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: abc@host\r\n\r\n";
        assertEquals(hash(invite("Call-ID: abc@host")), hash(response));
    }

    @Test
    void differentValues_hashDifferently() {
        assertNotEquals(hash(invite("Call-ID: abc@host")), hash(invite("Call-ID: abd@host")));
    }

    @Test
    void headersThatOnlyLookAlike_areNotTheCallId() {
        assertEquals(CallIdHash.NONE, hash(invite("Identity: abc")));
        assertEquals(CallIdHash.NONE, hash(invite("Call-Info: <http://x>")));
        assertEquals(CallIdHash.NONE, hash(invite("X-Call-ID: abc@host")));
    }

    @Test
    void theBodyIsNotRead_andAMissingCallIdIsNone() {
        String withBody = "INVITE sip:b@h SIP/2.0\r\nContent-Length: 14\r\n\r\nCall-ID: x@y\r\n";
        assertEquals(CallIdHash.NONE, hash(withBody));
        assertEquals(CallIdHash.NONE, hash(""));
        assertEquals(CallIdHash.NONE, hash("garbage without any line end"));
    }

    @Test
    void onlyTheGivenRangeIsRead() {
        byte[] bytes = ("xxxx" + invite("Call-ID: abc@host") + "yyyy").getBytes(StandardCharsets.US_ASCII);
        int length = bytes.length - 8;
        assertEquals(hash(invite("Call-ID: abc@host")), CallIdHash.of(bytes, 4, length));
        // cut inside the Call-ID value: only what is inside the range counts
        String full = invite("Call-ID: abc@host");
        int cut = full.indexOf("Call-ID: ab") + "Call-ID: ab".length();
        assertEquals(hash(full.substring(0, cut) + "\r\n"), CallIdHash.of(bytes, 4, cut));
        assertEquals(hash(invite("Call-ID: ab")), CallIdHash.of(bytes, 4, cut));
    }
}
