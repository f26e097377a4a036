package org.sipauth.core.provisioning;

import java.time.Instant;
import java.util.Objects;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.MissingReferenceException;
import org.sipauth.core.store.PageQuery;

/**
 * Origination URLs of trunks (Twilio's {@code /v1/Trunks/{TK}/OriginationUrls}) and of SIP domains
 * (the sipauth extension {@code …/SIP/Domains/{SD}/OriginationUrls}): where authorized calls to the
 * target go in proxy and redirect mode. {@code targetKind} ({@link SidKind#TRUNK} or
 * {@link SidKind#SIP_DOMAIN}) says which family the path names.
 *
 * <p>Create requires all five parameters, as Twilio's spec does: {@code FriendlyName} (1..64),
 * {@code SipUrl} ({@code sip:} or {@code sips:} {@code host[:port][;transport=udp|tcp|tls]}),
 * {@code Priority} (0..65535, lower first), {@code Weight} (1..65535) and {@code Enabled}; update
 * takes any of them. A target holds at most {@value #MAX_PER_TARGET} URLs (a sipauth limit).
 *
 * <p>Errors: an unknown target (or another account's) is 404 on the path; a bad or missing parameter
 * and a full target are 400 with {@value ApiException#TRUNK_INVALID} for trunks and
 * {@value ApiException#DOMAIN_INVALID} for domains. Thread-safe.
 */
public final class OriginationUrlService {

    /** Origination URLs per trunk or SIP domain. */
    public static final int MAX_PER_TARGET = 100;

    private final Context context;

    OriginationUrlService(Context context) {
        this.context = context;
    }

    public OriginationUrl create(Sid accountSid, SidKind targetKind, String targetSid, OriginationUrlInput input) {
        Objects.requireNonNull(input, "input");
        int code = code(targetKind);
        Sid target = requireTarget(accountSid, targetKind, targetSid);
        Validation.required(input.friendlyName(), "FriendlyName", code);
        Validation.required(input.sipUrl(), "SipUrl", code);
        Validation.required(input.priority(), "Priority", code);
        Validation.required(input.weight(), "Weight", code);
        Validation.required(input.enabled(), "Enabled", code);
        Instant now = context.now();
        OriginationUrl url = apply(new OriginationUrl(Sid.random(SidKind.ORIGINATION_URL), accountSid, target, "",
                "sip:invalid", 0, 1, false, now, now), input, now);
        try {
            if (!context.store().insertOriginationUrl(url, MAX_PER_TARGET)) {
                throw ApiException.badRequest(code, "A " + what(targetKind) + " has at most " + MAX_PER_TARGET
                        + " origination URLs");
            }
        } catch (MissingReferenceException e) {
            throw ApiException.notFound(Validation.describe(targetKind, targetSid)); // deleted meanwhile
        }
        return url;
    }

    public OriginationUrl fetch(Sid accountSid, SidKind targetKind, String targetSid, String sid) {
        Sid target = Validation.pathSid(targetKind, targetSid);
        Sid url = Validation.pathSid(SidKind.ORIGINATION_URL, sid);
        return context.store().findOriginationUrl(accountSid, target, url)
                .orElseThrow(() -> ApiException.notFound(Validation.describe(SidKind.ORIGINATION_URL, sid)));
    }

    /** The target's origination URLs in creation order; 404 when the target does not exist in the account. */
    public Page<OriginationUrl> list(Sid accountSid, SidKind targetKind, String targetSid, PageRequest request) {
        Sid target = requireTarget(accountSid, targetKind, targetSid);
        return PageTokens.page(request, u -> PageQuery.Key.of(u.dateCreated(), u.sid()),
                query -> context.store().listOriginationUrls(accountSid, target, query));
    }

    /** Changes the parameters that were sent; none sent returns the URL unchanged (no event). */
    public OriginationUrl update(Sid accountSid, SidKind targetKind, String targetSid, String sid,
                                 OriginationUrlInput input) {
        Objects.requireNonNull(input, "input");
        OriginationUrl current = fetch(accountSid, targetKind, targetSid, sid);
        if (input.equals(OriginationUrlInput.builder().build())) {
            return current;
        }
        OriginationUrl updated = apply(current, input, context.now());
        if (!context.store().updateOriginationUrl(updated)) {
            throw ApiException.notFound(Validation.describe(SidKind.ORIGINATION_URL, sid));
        }
        return updated;
    }

    public void delete(Sid accountSid, SidKind targetKind, String targetSid, String sid) {
        Sid target = Validation.pathSid(targetKind, targetSid);
        Sid url = Validation.pathSid(SidKind.ORIGINATION_URL, sid);
        if (!context.store().deleteOriginationUrl(accountSid, target, url)) {
            throw ApiException.notFound(Validation.describe(SidKind.ORIGINATION_URL, sid));
        }
    }

    private OriginationUrl apply(OriginationUrl u, OriginationUrlInput in, Instant now) {
        int code = code(u.targetSid().kind());
        String friendlyName = u.friendlyName();
        if (in.friendlyName() != null) {
            friendlyName = Validation.friendlyName(Validation.required(in.friendlyName(), "FriendlyName", code), code);
        }
        String sipUrl = in.sipUrl() == null ? u.sipUrl() : Validation.sipUrl(in.sipUrl(), "SipUrl", code);
        int priority = Validation.orElse(Validation.integer(in.priority(), "Priority", 0, 65535, code), u.priority());
        int weight = Validation.orElse(Validation.integer(in.weight(), "Weight", 1, 65535, code), u.weight());
        boolean enabled = Validation.orElse(Validation.bool(in.enabled(), "Enabled", code), u.enabled());
        return new OriginationUrl(u.sid(), u.accountSid(), u.targetSid(), friendlyName, sipUrl, priority, weight,
                enabled, u.dateCreated(), now);
    }

    private Sid requireTarget(Sid accountSid, SidKind targetKind, String targetSid) {
        Sid target = Validation.pathSid(targetKind, targetSid);
        boolean exists = targetKind == SidKind.TRUNK
                ? context.store().findTrunk(accountSid, target).isPresent()
                : context.store().findSipDomain(accountSid, target).isPresent();
        if (!exists) {
            throw ApiException.notFound(Validation.describe(targetKind, targetSid));
        }
        return target;
    }

    private static int code(SidKind targetKind) {
        return switch (targetKind) {
            case TRUNK -> ApiException.TRUNK_INVALID;
            case SIP_DOMAIN -> ApiException.DOMAIN_INVALID;
            default -> throw new IllegalArgumentException("origination URLs belong to trunks and SIP domains, not " + targetKind);
        };
    }

    private static String what(SidKind targetKind) {
        return targetKind == SidKind.TRUNK ? "trunk" : "SIP domain";
    }
}
