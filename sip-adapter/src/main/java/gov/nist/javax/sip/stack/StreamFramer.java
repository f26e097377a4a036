package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Cuts a SIP byte stream (TCP) into messages within fixed limits, reading only as far as it has to.
 *
 * <p>Design: the header block of a message (start line through the blank line) is collected in one
 * array of the header limit, allocated once per connection; a header block that does not end within
 * it is reported as {@link Kind#HEADERS_TOO_LARGE} without reading on. The body is read straight
 * from the stream into an array of exactly its {@code Content-Length}, which the caller checks
 * against its own limit before asking for it. So a connection never holds more than one header
 * block and one body, whatever the peer sends. (jain-sip-ri's reader copies everything the socket
 * delivers onto an unbounded list ahead of its parser; a peer that never ends its header block
 * filled the heap that way.)
 *
 * <p>Between messages, CR and LF are skipped (RFC 3261 §7.5); each CRLFCRLF is reported as a
 * {@link Kind#PING}, the RFC 5626 keep-alive, which the caller answers with a CRLF. Time limits:
 * before a message the read waits up to the idle timeout; once its first byte has arrived, the
 * whole message must arrive within the message timeout. Outcomes are values ({@link Frame}), not
 * exceptions; an {@link IOException} means the stream itself failed.
 *
 * <p>Not thread-safe: one reader thread per connection.
 */
final class StreamFramer {

    /** What {@link #next()} or {@link #body(int)} found. */
    enum Kind {
        /** A complete header block, ending with its blank line; the body, if any, follows. */
        HEADERS,
        /** A complete body. */
        BODY,
        /** A CRLFCRLF keep-alive between messages. */
        PING,
        /** The header block did not end within the limit; the bytes are what was read of it. */
        HEADERS_TOO_LARGE,
        /** Nothing arrived within the idle timeout between messages. */
        IDLE_TIMEOUT,
        /** A message did not arrive whole within the message timeout. */
        MESSAGE_TIMEOUT,
        /** The peer closed the stream (a partial message is discarded). */
        END
    }

    /** One outcome, with the bytes of a header block or body (empty otherwise). */
    record Frame(Kind kind, byte[] bytes) {
        static final byte[] NONE = new byte[0];
    }

    /** Sets the timeout of the next read, in ms (0: none); a socket's {@code setSoTimeout}. */
    @FunctionalInterface
    interface ReadTimeout {
        void set(int millis) throws IOException;
    }

    private static final int TIMED_OUT = -2;

    private final InputStream in;
    private final ReadTimeout readTimeout;
    private final LongSupplier nanoClock;
    private final int idleTimeoutMillis;
    private final long messageTimeoutNanos;
    /** Header block buffer: bytes [pos, limit) are read but not yet consumed. */
    private final byte[] buffer;
    private int pos;
    private int limit;
    /** Where the search for the end of the header block resumes. */
    private int scanned;
    /** Line feeds seen since the last message or keep-alive. */
    private int lineFeeds;
    private boolean inMessage;
    private long messageStartNanos;

    StreamFramer(InputStream in, int maxHeaderSize, int idleTimeoutMillis, int messageTimeoutMillis,
            ReadTimeout readTimeout, LongSupplier nanoClock) {
        if (maxHeaderSize < 16 || idleTimeoutMillis < 0 || messageTimeoutMillis < 1) {
            throw new IllegalArgumentException("bad limits: header " + maxHeaderSize + ", idle " + idleTimeoutMillis
                    + ", message " + messageTimeoutMillis);
        }
        this.in = in;
        this.buffer = new byte[maxHeaderSize];
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.messageTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(messageTimeoutMillis);
        this.readTimeout = readTimeout;
        this.nanoClock = nanoClock;
    }

    /**
     * The next header block or keep-alive, or why there is none. After {@link Kind#HEADERS} call
     * {@link #body(int)} (also for length 0) before calling this again.
     */
    Frame next() throws IOException {
        if (inMessage) {
            throw new IllegalStateException("read the body of the previous message first");
        }
        while (true) {
            while (pos < limit) {
                byte b = buffer[pos];
                if (b == '\n') {
                    pos++;
                    if (++lineFeeds == 2) {
                        lineFeeds = 0;
                        return new Frame(Kind.PING, Frame.NONE);
                    }
                } else if (b == '\r') {
                    pos++;
                } else {
                    return headerBlock();
                }
            }
            pos = 0;
            limit = 0;
            int n = read(buffer, 0, buffer.length);
            if (n == TIMED_OUT) {
                return new Frame(Kind.IDLE_TIMEOUT, Frame.NONE);
            }
            if (n < 0) {
                return new Frame(Kind.END, Frame.NONE);
            }
            limit = n;
        }
    }

    /** Collects the header block that starts at {@code pos}. */
    private Frame headerBlock() throws IOException {
        inMessage = true;
        messageStartNanos = nanoClock.getAsLong();
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        scanned = 0;
        while (true) {
            int end = headerEnd();
            if (end > 0) {
                pos = end;
                return new Frame(Kind.HEADERS, Arrays.copyOf(buffer, end));
            }
            if (limit == buffer.length) {
                inMessage = false;
                return new Frame(Kind.HEADERS_TOO_LARGE, buffer.clone());
            }
            int n = read(buffer, limit, buffer.length - limit);
            if (n == TIMED_OUT) {
                inMessage = false;
                return new Frame(Kind.MESSAGE_TIMEOUT, Frame.NONE);
            }
            if (n < 0) {
                inMessage = false;
                return new Frame(Kind.END, Frame.NONE);
            }
            limit += n;
        }
    }

    /** Index just past the blank line that ends the header block in [0, limit), or -1. */
    private int headerEnd() {
        for (int i = scanned; i < limit; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            // a line feed followed by an empty line: LF LF, or LF CR LF
            if (i + 1 < limit && buffer[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < limit && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
                return i + 3;
            }
            if (i + 2 >= limit) {
                scanned = i; // the rest of a possible end is not here yet
                return -1;
            }
        }
        scanned = limit;
        return -1;
    }

    /**
     * The body of the message whose header block {@link #next()} returned: {@code length} bytes,
     * taken first from what was read with the header block, then from the stream.
     */
    Frame body(int length) throws IOException {
        if (!inMessage) {
            throw new IllegalStateException("no header block read");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative body length " + length);
        }
        byte[] body = new byte[length];
        int have = Math.min(limit - pos, length);
        System.arraycopy(buffer, pos, body, 0, have);
        pos += have;
        while (have < length) {
            int n = read(body, have, length - have);
            if (n == TIMED_OUT || n < 0) {
                inMessage = false;
                return new Frame(n == TIMED_OUT ? Kind.MESSAGE_TIMEOUT : Kind.END, Frame.NONE);
            }
            have += n;
        }
        inMessage = false;
        lineFeeds = 0;
        return new Frame(Kind.BODY, body);
    }

    /** Reads with the timeout of the current phase; {@link #TIMED_OUT} when it expires. */
    private int read(byte[] into, int offset, int length) throws IOException {
        int timeout = idleTimeoutMillis;
        if (inMessage) {
            long left = messageStartNanos + messageTimeoutNanos - nanoClock.getAsLong();
            if (left <= 0) {
                return TIMED_OUT;
            }
            timeout = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        }
        readTimeout.set(timeout);
        try {
            return in.read(into, offset, length);
        } catch (SocketTimeoutException e) {
            return TIMED_OUT;
        }
    }
}
