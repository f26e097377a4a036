package org.sipauth.jainsip;

import java.text.ParseException;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/** To-tags for the final responses sipauth sends as UAS (RFC 3261 §8.2.6.2). */
public final class ToTags {

    private ToTags() {
    }

    /** A fresh random tag: 16 lowercase hex digits (64 bits, top bit set so the length is fixed). */
    public static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /** Adds a {@link #random()} tag to {@code response}'s To header unless it has one. */
    public static void ensure(Response response) {
        if (response.getHeader(ToHeader.NAME) instanceof ToHeader to && to.getTag() == null) {
            try {
                to.setTag(random());
            } catch (ParseException e) {
                throw new IllegalStateException("a hex tag is always valid", e);
            }
        }
    }
}
