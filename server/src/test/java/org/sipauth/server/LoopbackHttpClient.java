package org.sipauth.server;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A twilio-java HTTP client that sends every request, unchanged but for scheme, host and port,
 * to a local server, and remembers each response status (so a test can prove no 5xx was seen:
 * twilio-java would silently retry those).
 */
final class LoopbackHttpClient extends NetworkHttpClient {

    private final URI target;
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();

    LoopbackHttpClient(String target) {
        this.target = URI.create(target);
    }

    @Override
    public Response makeRequest(Request original) {
        URI asked = URI.create(original.getUrl());
        String local = target.getScheme() + "://" + target.getRawAuthority() + asked.getRawPath()
                + (asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery());
        Request redirected = new Request(original.getMethod(), local);
        original.getQueryParams().forEach((name, values) -> values.forEach(v -> redirected.addQueryParam(name, v)));
        original.getPostParams().forEach((name, values) -> values.forEach(v -> redirected.addPostParam(name, v)));
        original.getHeaderParams().forEach((name, values) -> values.forEach(v -> redirected.addHeaderParam(name, v)));
        redirected.setContentType(original.getContentType());
        redirected.setBody(original.getBody());
        if (original.getUsername() != null) {
            redirected.setAuth(original.getUsername(), original.getPassword());
        }
        Response response = super.makeRequest(redirected);
        statuses.add(response.getStatusCode());
        return response;
    }

    /** Every HTTP status this client has received, in order. */
    List<Integer> statuses() {
        return List.copyOf(statuses);
    }
}
