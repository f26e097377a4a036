package org.sipauth.core.store.jdbc;

import java.util.Optional;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.ChangeEvent;

/**
 * The text of one {@code NOTIFY sipauth_changes} payload:
 * {@code 1;<nodeId>;<type>;<accountSid>;<sid>;<parentSid>} with {@code -} for an absent SID.
 * The leading version lets a newer node recognise an older node's messages.
 */
record ChangePayload(String nodeId, ChangeEvent event) {

    private static final String VERSION = "1";
    private static final String NONE = "-";

    String encode() {
        return VERSION + ';' + nodeId + ';' + event.type().name() + ';' + text(event.accountSid()) + ';'
                + text(event.sid()) + ';' + text(event.parentSid());
    }

    /** Parses a payload; empty when it is not one this version understands (never throws). */
    static Optional<ChangePayload> decode(String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        String[] parts = payload.split(";", -1);
        if (parts.length != 6 || !VERSION.equals(parts[0]) || parts[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            ChangeEvent.Type type = ChangeEvent.Type.valueOf(parts[2]);
            return Optional.of(new ChangePayload(parts[1],
                    new ChangeEvent(type, sid(parts[3]), sid(parts[4]), sid(parts[5]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(Sid sid) {
        return sid == null ? NONE : sid.value();
    }

    private static Sid sid(String text) {
        if (NONE.equals(text)) {
            return null;
        }
        return Sid.of(kindOf(text), text);
    }

    static SidKind kindOf(String sid) {
        for (SidKind kind : SidKind.values()) {
            if (sid.startsWith(kind.prefix())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown SID prefix: " + sid);
    }
}
