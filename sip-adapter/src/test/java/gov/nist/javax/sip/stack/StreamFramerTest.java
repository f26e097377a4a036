package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.StreamFramer.Frame;
import gov.nist.javax.sip.stack.StreamFramer.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sipauth.testsip.RawSip;

class StreamFramerTest {

    private static final int LIMIT = 8192;
    private final List<Integer> timeouts = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();

    private StreamFramer framer(InputStream in, int limit) {
        return new StreamFramer(in, limit, 300_000, 10_000, timeouts::add, nanos::get);
    }

    private static String invite(String callId, String body) throws IOException {
        return RawSip.template("/sip/invite-tcp.sip", Map.of("clientHost", "192.0.2.1", "clientPort", "5060",
                "branch", callId, "callId", callId, "contentLength", Integer.toString(body.length()))) + body;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerLinesWithoutBlankLine_areRefused_afterReadingNoMoreThanTheLimit() throws IOException {
        EndlessHeaders in = new EndlessHeaders();
        Frame frame = framer(in, LIMIT).next();
        assertEquals(Kind.HEADERS_TOO_LARGE, frame.kind());
        assertEquals(LIMIT, frame.bytes().length);
        assertTrue(in.served <= LIMIT, "read " + in.served + " bytes for a limit of " + LIMIT);
    }

    @Test
    void pipelinedMessages_areCutAtTheirBoundaries_whateverTheChunks() throws IOException {
        String first = invite("c1", "v=0\r\n");
        String second = invite("c2", "");
        String third = invite("c3", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");
        for (int chunk : new int[] {1, 3, 7, 64, 100_000}) {
            StreamFramer framer = framer(new Chunked(bytes(first + second + third), chunk), LIMIT);
            for (String message : List.of(first, second, third)) {
                int blank = message.indexOf("\r\n\r\n") + 4;
                Frame headers = framer.next();
                assertEquals(Kind.HEADERS, headers.kind(), "chunk " + chunk);
                assertArrayEquals(bytes(message.substring(0, blank)), headers.bytes(), "chunk " + chunk);
                Frame body = framer.body(message.length() - blank);
                assertEquals(Kind.BODY, body.kind());
                assertArrayEquals(bytes(message.substring(blank)), body.bytes(), "chunk " + chunk);
            }
            assertEquals(Kind.END, framer.next().kind());
        }
    }

    @Test
    void doubleCrlf_isAKeepAlivePing_andLoneLineEndsBeforeAMessageAreSkipped() throws IOException {
        String message = invite("c1", "");
        StreamFramer framer = framer(new ByteArrayInputStream(bytes("\r\n\r\n\r\n" + message + "\r\n\r\n")), LIMIT);
        assertEquals(Kind.PING, framer.next().kind());
        Frame headers = framer.next();
        assertEquals(Kind.HEADERS, headers.kind());
        assertArrayEquals(bytes(message), headers.bytes());
        assertEquals(Kind.BODY, framer.body(0).kind());
        assertEquals(Kind.PING, framer.next().kind());
        assertEquals(Kind.END, framer.next().kind());
    }

    @Test
    void headerBlockOfExactlyTheLimit_passes_oneByteMoreIsRefused() throws IOException {
        String message = invite("c1", "");
        int limit = message.length();
        assertEquals(Kind.HEADERS, framer(new ByteArrayInputStream(bytes(message)), limit).next().kind());
        String longer = message.replace("tag=tcp1", "tag=tcp12");
        assertEquals(Kind.HEADERS_TOO_LARGE, framer(new ByteArrayInputStream(bytes(longer)), limit).next().kind());
    }

    @Test
    void bareLineFeeds_endTheHeaderBlockToo() throws IOException {
        String message = invite("c1", "").replace("\r\n", "\n");
        Frame headers = framer(new ByteArrayInputStream(bytes(message)), LIMIT).next();
        assertEquals(Kind.HEADERS, headers.kind());
        assertEquals(message.length(), headers.bytes().length);
    }

    @Test
    void streamEndingInsideAMessage_isTheEnd() throws IOException {
        String message = invite("c1", "v=0\r\n");
        StreamFramer cutInHeaders = framer(new ByteArrayInputStream(bytes(message.substring(0, 40))), LIMIT);
        assertEquals(Kind.END, cutInHeaders.next().kind());
        StreamFramer cutInBody = framer(new ByteArrayInputStream(bytes(message.substring(0, message.length() - 2))), LIMIT);
        assertEquals(Kind.HEADERS, cutInBody.next().kind());
        assertEquals(Kind.END, cutInBody.body(5).kind());
    }

    @Test
    void silenceBetweenMessages_isAnIdleTimeout_readWithTheIdleTimeout() throws IOException {
        StreamFramer framer = framer(new Silent(new byte[0]), LIMIT);
        assertEquals(Kind.IDLE_TIMEOUT, framer.next().kind());
        assertEquals(List.of(300_000), timeouts);
    }

    @Test
    void messageSlowerThanItsTimeout_isAMessageTimeout_whetherInHeadersOrBody() throws IOException {
        String message = invite("c1", "v=0\r\n");
        // The clock moves 4 s per read: the message's 10 s run out during its third read.
        Dribble slow = new Dribble(bytes(message), 8, () -> nanos.addAndGet(4_000_000_000L));
        Frame frame = framer(slow, LIMIT).next();
        assertEquals(Kind.MESSAGE_TIMEOUT, frame.kind());
        assertEquals(List.of(300_000, 10_000, 6_000, 2_000), timeouts, "each read waits only for what is left");

        timeouts.clear();
        StreamFramer framer = framer(new Silent(bytes(message.substring(0, message.length() - 2))), LIMIT);
        assertEquals(Kind.HEADERS, framer.next().kind());
        assertEquals(Kind.MESSAGE_TIMEOUT, framer.body(5).kind());
    }

    /** Header lines forever, counting what is read. */
    private static final class EndlessHeaders extends InputStream {
        private final byte[] line = bytes("X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
        long served;

        @Override
        public int read() {
            return line[(int) (served++ % line.length)];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }

    /** Serves {@code data} at most {@code chunk} bytes per read. */
    private static class Chunked extends ByteArrayInputStream {
        private final int chunk;

        Chunked(byte[] data, int chunk) {
            super(data);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }

    /** Serves {@code data}, then times out instead of ending. */
    private static final class Silent extends InputStream {
        private final byte[] data;
        private int next;

        Silent(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (next == data.length) {
                throw new SocketTimeoutException("Read timed out");
            }
            int n = Math.min(len, data.length - next);
            System.arraycopy(data, next, b, off, n);
            next += n;
            return n;
        }
    }

    /** Serves {@code chunk} bytes per read and runs {@code eachRead} after each. */
    private static final class Dribble extends Chunked {
        private final Runnable eachRead;

        Dribble(byte[] data, int chunk, Runnable eachRead) {
            super(data, chunk);
            this.eachRead = eachRead;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            eachRead.run();
            return n;
        }
    }
}
