package org.sipauth.core.digest;

/** Allocation-free ASCII helpers for the hot path. */
final class Ascii {

    private Ascii() {
    }

    /** True when {@code s[from, to)} equals {@code expected}, ignoring ASCII case. */
    static boolean equalsIgnoreCase(CharSequence s, int from, int to, String expected) {
        if (to - from != expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            char a = s.charAt(from + i);
            char b = expected.charAt(i);
            if (a != b && lower(a) != lower(b)) {
                return false;
            }
        }
        return true;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = lower(c);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }
}
