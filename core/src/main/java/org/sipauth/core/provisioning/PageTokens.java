package org.sipauth.core.provisioning;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.sipauth.core.store.PageQuery;

/**
 * Page tokens and the paging algorithm shared by every list.
 *
 * <p>A token is {@code PA} (items after) or {@code PB} (items before) followed by the unpadded
 * base64url of {@code epochSecond.nano.sid}: a keyset position in the stable order. Tokens are
 * not secret or signed; a forged one only selects another slice of the caller's own resources.
 */
final class PageTokens {

    private static final String AFTER = "PA";
    private static final String BEFORE = "PB";
    private static final int MAX_TOKEN_LENGTH = 200;

    private PageTokens() {
    }

    static boolean isWellFormed(String token) {
        return decodeKey(token) != null;
    }

    static String after(PageQuery.Key key) {
        return AFTER + encodeKey(key);
    }

    static String before(PageQuery.Key key) {
        return BEFORE + encodeKey(key);
    }

    private static String encodeKey(PageQuery.Key key) {
        String raw = key.dateCreated().getEpochSecond() + "." + key.dateCreated().getNano() + "." + key.sid();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The key of a well-formed token, else null. */
    static PageQuery.Key decodeKey(String token) {
        if (token == null || token.length() < 3 || token.length() > MAX_TOKEN_LENGTH
                || !(token.startsWith(AFTER) || token.startsWith(BEFORE))) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token.substring(2)), StandardCharsets.UTF_8);
            int dot1 = raw.indexOf('.');
            int dot2 = raw.indexOf('.', dot1 + 1);
            if (dot1 <= 0 || dot2 <= dot1 + 1 || dot2 == raw.length() - 1) {
                return null;
            }
            long seconds = Long.parseLong(raw.substring(0, dot1));
            int nanos = Integer.parseInt(raw.substring(dot1 + 1, dot2));
            if (nanos < 0 || nanos > 999_999_999) {
                return null;
            }
            return new PageQuery.Key(Instant.ofEpochSecond(seconds, nanos), raw.substring(dot2 + 1));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return null;
        }
    }

    /**
     * Runs one page request against a store list method. Fetches one item more than the page
     * size to know whether another page follows (forward) or precedes (backward).
     */
    static <T> Page<T> page(PageRequest request, Function<T, PageQuery.Key> keyOf,
                            Function<PageQuery, List<T>> fetch) {
        int size = request.pageSize();
        String token = request.pageToken();
        PageQuery.Key key = token == null ? null : decodeKey(token);
        if (token != null && key == null) {
            throw ApiException.badRequest(ApiException.BAD_REQUEST, "PageToken is not valid");
        }
        PageRequest previousNumber = request.page() > 0
                ? new PageRequest(size, request.page() - 1, null) : null;
        if (key != null && token.startsWith(BEFORE)) {
            List<T> found = fetch.apply(PageQuery.before(key, size + 1));
            boolean more = found.size() > size;
            List<T> items = more ? found.subList(1, found.size()) : found;
            if (items.isEmpty()) {
                return new Page<>(items, request, null, previousNumber);
            }
            // The item at `key` followed this page when the token was made, so a next page exists.
            PageRequest next = new PageRequest(size, request.page() + 1, after(keyOf.apply(items.get(items.size() - 1))));
            PageRequest previous = more
                    ? new PageRequest(size, Math.max(0, request.page() - 1), before(keyOf.apply(items.get(0)))) : null;
            return new Page<>(items, request, next, previous);
        }
        PageQuery query;
        if (key != null) {
            query = PageQuery.after(key, size + 1);
        } else {
            long offset = (long) request.page() * size;
            if (offset > Integer.MAX_VALUE - size - 1) {
                return new Page<>(List.of(), request, null, previousNumber);
            }
            query = PageQuery.offset((int) offset, size + 1);
        }
        List<T> found = fetch.apply(query);
        boolean more = found.size() > size;
        List<T> items = more ? found.subList(0, size) : found;
        if (items.isEmpty()) {
            return new Page<>(items, request, null, previousNumber);
        }
        PageRequest next = more
                ? new PageRequest(size, request.page() + 1, after(keyOf.apply(items.get(items.size() - 1)))) : null;
        PageRequest previous = (key != null || request.page() > 0)
                ? new PageRequest(size, Math.max(0, request.page() - 1), before(keyOf.apply(items.get(0)))) : null;
        return new Page<>(items, request, next, previous);
    }
}
