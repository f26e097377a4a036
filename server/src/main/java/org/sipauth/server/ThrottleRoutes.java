package org.sipauth.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sipauth.core.authz.Throttle;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.Store;

/**
 * A sipauth extension of the admin API (not a Twilio resource): the SIP engine's brute-force
 * throttle, {@code GET /v1/sipauth/Throttle} lists the keys being refused, {@code DELETE} on an
 * entry's {@code url} releases it and {@code DELETE /v1/sipauth/Throttle} releases every entry the
 * caller can see. See docs/admin-api.md.
 *
 * <p>Scoping, so that no account learns another's usernames: a key with a target (a trunk or SIP
 * domain) belongs to the account that owns that target; a key of a source address alone spans every
 * tenant and belongs to the operator account only, the one named by {@code SIPAUTH_ACCOUNT_SID} or,
 * when none is configured, the store's only account. A key whose target no longer exists is nobody's
 * and ends with its cooldown. Thread-safe.
 */
final class ThrottleRoutes {

    static final String PATH = "/v1/sipauth/Throttle";

    /** The throttle shown and the operator account; both null until a SIP listener is started. */
    private record Shown(Throttle throttle, Sid operator) {
    }

    private final Store store;
    private final Clock clock;
    private volatile Shown shown = new Shown(null, null);

    ThrottleRoutes(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Serves {@code throttle} from now on.
     *
     * @param operatorAccountSid nullable: the configured bootstrap account, which sees per-source keys
     */
    void show(Throttle throttle, String operatorAccountSid) {
        Sid operator = operatorAccountSid == null ? null : Sid.of(SidKind.ACCOUNT, operatorAccountSid).canonical();
        shown = new Shown(Objects.requireNonNull(throttle, "throttle"), operator);
    }

    void install(RoutesConfig routes, Function<Context, Sid> account, Supplier<String> publicUrl) {
        routes.get(PATH, ctx -> {
            String base = publicUrl.get() + PATH;
            List<Object> items = new ArrayList<>();
            for (Throttle.Blocked blocked : visible(account.apply(ctx))) {
                items.add(representation(blocked, base));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("blocked", items);
            body.put("url", base);
            ctx.json(body);
        });
        routes.delete(PATH, ctx -> {
            Throttle throttle = shown.throttle();
            for (Throttle.Blocked blocked : visible(account.apply(ctx))) {
                throttle.clear(blocked.key());
            }
            ctx.status(204);
        });
        routes.delete(PATH + "/{key}", ctx -> {
            String id = ctx.pathParam("key");
            Throttle.Blocked entry = visible(account.apply(ctx)).stream()
                    .filter(b -> id(b.key()).equals(id)).findFirst()
                    .orElseThrow(() -> ApiError.notFound(ctx.path()));
            shown.throttle().clear(entry.key());
            ctx.status(204);
        });
    }

    /** The refused keys {@code account} may see, the latest block first. */
    private List<Throttle.Blocked> visible(Sid account) {
        Shown now = shown;
        if (now.throttle() == null) {
            return List.of();
        }
        List<Throttle.Blocked> out = new ArrayList<>();
        Boolean operator = null;
        Map<Sid, Boolean> owned = new HashMap<>();
        for (Throttle.Blocked blocked : now.throttle().blocked()) {
            Sid target = blocked.key().target();
            boolean mine;
            if (target == null) {
                if (operator == null) {
                    operator = now.operator() != null ? now.operator().equals(account) : store.accountCount() == 1;
                }
                mine = operator;
            } else {
                mine = owned.computeIfAbsent(target, t -> owns(account, t));
            }
            if (mine) {
                out.add(blocked);
            }
        }
        return out;
    }

    private boolean owns(Sid account, Sid target) {
        return switch (target.kind()) {
            case TRUNK -> store.findTrunk(account, target).isPresent();
            case SIP_DOMAIN -> store.findSipDomain(account, target).isPresent();
            default -> false;
        };
    }

    private Map<String, Object> representation(Throttle.Blocked blocked, String base) {
        Throttle.Key key = blocked.key();
        String id = id(key);
        long remainingMillis = Math.max(0, Duration.between(Instant.now(clock), blocked.until()).toMillis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", id);
        m.put("kind", kind(key));
        m.put("source", key.source() == null ? null : key.source().getHostAddress());
        m.put("target_sid", key.target() == null ? null : key.target().value());
        m.put("username", key.username());
        m.put("failures", blocked.failures());
        m.put("date_released", WireDates.iso8601(blocked.until()));
        m.put("seconds_remaining", (remainingMillis + 999) / 1000);
        m.put("url", base + "/" + id);
        return m;
    }

    private static String kind(Throttle.Key key) {
        if (key.target() == null) {
            return "source";
        }
        return key.source() == null ? "username" : "source_username";
    }

    /** The entry's path segment: its fields, URL-safe; only ever compared with the ids of listed keys. */
    static String id(Throttle.Key key) {
        String text = kind(key) + '\0' + (key.source() == null ? "" : key.source().getHostAddress()) + '\0'
                + (key.target() == null ? "" : key.target().value()) + '\0'
                + (key.username() == null ? "" : key.username());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
