package org.sipauth.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sipauth.core.provisioning.Page;
import org.sipauth.core.provisioning.PageRequest;

/**
 * The two list envelopes. v1 pages carry a {@code meta} object whose every key is present (twilio-java
 * calls {@code isNull()} on them unguarded) with absolute URLs; 2010 pages carry relative
 * {@code *_uri} keys at the top level and no other keys (twilio-node takes the only unknown key as
 * the record array).
 */
final class Envelopes {

    private Envelopes() {
    }

    /** {@code PageSize=…&Page=…[&PageToken=…]}, the query of every page link. */
    static String query(PageRequest request) {
        String query = "PageSize=" + request.pageSize() + "&Page=" + request.page();
        if (request.pageToken() != null) {
            query += "&PageToken=" + URLEncoder.encode(request.pageToken(), StandardCharsets.UTF_8);
        }
        return query;
    }

    /**
     * Trunking v1 page.
     *
     * @param listUrl absolute URL of the list without query, e.g. {@code https://host/v1/Trunks}
     */
    static Map<String, Object> v1(String key, List<?> records, Page<?> page, String listUrl) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page.page());
        meta.put("page_size", page.pageSize());
        meta.put("first_page_url", listUrl + "?" + query(page.firstPage()));
        meta.put("previous_page_url", page.hasPrevious() ? listUrl + "?" + query(page.previousPage()) : null);
        meta.put("url", listUrl + "?" + query(page.request()));
        meta.put("next_page_url", page.hasNext() ? listUrl + "?" + query(page.nextPage()) : null);
        meta.put("key", key);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key, records);
        body.put("meta", meta);
        return body;
    }

    /**
     * API 2010 page.
     *
     * @param listUri relative path of the list, e.g. {@code /2010-04-01/Accounts/AC…/SIP/Domains.json}
     */
    static Map<String, Object> v2010(String key, List<?> records, Page<?> page, String listUri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key, records);
        body.put("first_page_uri", listUri + "?" + query(page.firstPage()));
        body.put("end", page.end());
        body.put("previous_page_uri", page.hasPrevious() ? listUri + "?" + query(page.previousPage()) : null);
        body.put("uri", listUri + "?" + query(page.request()));
        body.put("page_size", page.pageSize());
        body.put("start", page.start());
        body.put("next_page_uri", page.hasNext() ? listUri + "?" + query(page.nextPage()) : null);
        body.put("page", page.page());
        return body;
    }
}
