package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The respond mode's 2xx To-tags: recognised for their own call only, unpredictable to others. */
class DialogTagsTest {

    private final DialogTags tags = new DialogTags();

    @Test
    void issuedTag_isRecognised_forItsCallIdAndFromTagOnly() {
        String tag = tags.issue("a84b4c76e66710@pc33.example.com", "1928301774");
        assertTrue(tag.matches("[0-9a-f]{16}"), tag);
        assertEquals(tag, tags.issue("a84b4c76e66710@pc33.example.com", "1928301774"), "a retransmitted INVITE gets the same");
        assertTrue(tags.issued(tag, "a84b4c76e66710@pc33.example.com", "1928301774"));
        assertFalse(tags.issued(tag, "a84b4c76e66710@pc33.example.org", "1928301774"));
        assertFalse(tags.issued(tag, "a84b4c76e66710@pc33.example.com", "1928301775"));
        assertFalse(tags.issued(tag, "a84b4c76e66710@pc33.example.com", null));
        assertFalse(tags.issued(tag.toUpperCase(Locale.ROOT), "a84b4c76e66710@pc33.example.com", "1928301774"));
    }

    @Test
    void fieldBoundaries_cannotBeShifted() {
        assertNotEquals(tags.issue("ab", "c"), tags.issue("a", "bc"));
        assertEquals(tags.issue("x", null), tags.issue("x", ""), "no From-tag is the empty one");
    }

    @Test
    void foreignOrMalformedTags_areNotIssued() {
        for (String tag : new String[] {null, "", "1234567890abcdef", "xyz", "0123456789abcdef0", "zzzzzzzzzzzzzzzz"}) {
            assertFalse(tags.issued(tag, "call", "from"), String.valueOf(tag));
        }
        assertFalse(tags.issued(new DialogTags().issue("call", "from"), "call", "from"), "another process's secret");
    }
}
