package org.sipauth.core.provisioning;

/**
 * Which page of a list to return, as a client asks for it ({@code PageSize}, {@code Page},
 * {@code PageToken}).
 *
 * <p>Without a token, page {@code n} is the {@code n}-th slice of {@code pageSize} items from
 * the start. With a token (only ever produced by {@link Page#nextPage()} /
 * {@link Page#previousPage()}), the page is positioned relative to a key of the stable order
 * {@code (dateCreated, sid)}, so walking next/previous neither skips nor repeats items when
 * resources are inserted meanwhile; {@code page} is then client state only.
 *
 * @param pageSize  1..1000
 * @param page      >= 0
 * @param pageToken nullable opaque token
 */
public record PageRequest(int pageSize, int page, String pageToken) {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;

    public PageRequest {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ": " + pageSize);
        }
        if (page < 0) {
            throw new IllegalArgumentException("page must be >= 0: " + page);
        }
        if (pageToken != null && pageToken.isEmpty()) {
            pageToken = null;
        }
    }

    /** Page 0 with {@value #DEFAULT_PAGE_SIZE} items. */
    public static PageRequest first() {
        return new PageRequest(DEFAULT_PAGE_SIZE, 0, null);
    }

    public static PageRequest first(int pageSize) {
        return new PageRequest(pageSize, 0, null);
    }

    /**
     * Parses the raw query parameters (each nullable when not sent) and answers a bad value with
     * a 400 {@link ApiException} (code {@value ApiException#BAD_REQUEST}).
     */
    public static PageRequest parse(String pageSize, String page, String pageToken) {
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : parseInt("PageSize", pageSize);
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest(ApiException.BAD_REQUEST, "PageSize must be between 1 and " + MAX_PAGE_SIZE);
        }
        int number = page == null ? 0 : parseInt("Page", page);
        if (number < 0) {
            throw ApiException.badRequest(ApiException.BAD_REQUEST, "Page must be a non-negative integer");
        }
        if (pageToken != null && !pageToken.isEmpty() && !PageTokens.isWellFormed(pageToken)) {
            throw ApiException.badRequest(ApiException.BAD_REQUEST, "PageToken is not valid");
        }
        return new PageRequest(size, number, pageToken);
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ApiException.BAD_REQUEST, name + " must be an integer");
        }
    }

    /** The first page with this page size (for {@code first_page_url}). */
    public PageRequest firstPage() {
        return new PageRequest(pageSize, 0, null);
    }
}
