package gov.nist.javax.sip.stack;

/**
 * A hash of a raw SIP message's Call-ID value, read from the datagram before it is parsed: enough
 * to keep the messages of one call together ({@link DialogOrderedQueue}), never used to trust or
 * route anything.
 *
 * <p>The header is recognised by its full or compact name ({@code Call-ID}, {@code i}) in any
 * case, with optional blanks before the colon; the value is hashed with surrounding blanks
 * trimmed, so both spellings of one message hash alike. Only the header section is read (up to the
 * first empty line); a message without a Call-ID gets {@link #NONE}.
 */
final class CallIdHash {

    /** The hash of a message without a Call-ID header. */
    static final int NONE = 0;
    private static final byte[] CALL_ID = {'c', 'a', 'l', 'l', '-', 'i', 'd'};

    private CallIdHash() {
    }

    static int of(byte[] message, int offset, int length) {
        int end = offset + length;
        int line = nextLine(message, offset, end); // the start line is no header
        while (line < end && message[line] != '\r' && message[line] != '\n') {
            int valueStart = callIdValueStart(message, line, end);
            if (valueStart >= 0) {
                return hashValue(message, valueStart, end);
            }
            line = nextLine(message, line, end);
        }
        return NONE;
    }

    /** Where the line after the one starting at {@code from} starts ({@code end} when none does). */
    private static int nextLine(byte[] message, int from, int end) {
        for (int i = from; i < end; i++) {
            if (message[i] == '\n') {
                return i + 1;
            }
        }
        return end;
    }

    /** The offset after the colon when the line at {@code line} is a Call-ID header, else -1. */
    private static int callIdValueStart(byte[] message, int line, int end) {
        int i = line;
        if (matchesIgnoringCase(message, i, end, CALL_ID)) {
            i += CALL_ID.length;
        } else if (i < end && (message[i] | 0x20) == 'i') {
            i++;
        } else {
            return -1;
        }
        while (i < end && (message[i] == ' ' || message[i] == '\t')) {
            i++;
        }
        return i < end && message[i] == ':' ? i + 1 : -1;
    }

    private static boolean matchesIgnoringCase(byte[] message, int at, int end, byte[] lowerCaseName) {
        if (end - at < lowerCaseName.length) {
            return false;
        }
        for (int k = 0; k < lowerCaseName.length; k++) {
            if ((message[at + k] | 0x20) != lowerCaseName[k]) { // '-' (0x2d) is unchanged by | 0x20
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the value's bytes, blanks at both ends left out; never {@link #NONE}. */
    private static int hashValue(byte[] message, int from, int end) {
        int start = from;
        while (start < end && (message[start] == ' ' || message[start] == '\t')) {
            start++;
        }
        int stop = start;
        while (stop < end && message[stop] != '\r' && message[stop] != '\n') {
            stop++;
        }
        while (stop > start && (message[stop - 1] == ' ' || message[stop - 1] == '\t')) {
            stop--;
        }
        int hash = 0x811c9dc5;
        for (int i = start; i < stop; i++) {
            hash = (hash ^ (message[i] & 0xff)) * 0x01000193;
        }
        return hash == NONE ? 1 : hash;
    }
}
