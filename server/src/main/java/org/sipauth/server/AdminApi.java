package org.sipauth.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.provisioning.ApiException;
import org.sipauth.core.provisioning.OriginationUrlInput;
import org.sipauth.core.provisioning.Page;
import org.sipauth.core.provisioning.PageRequest;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.SipDomainInput;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.server.Representations.Mapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twilio-compatible admin API on Javalin: trunking v1 ({@code /v1/Trunks…}) and the SIP part of
 * API 2010 ({@code /2010-04-01/Accounts/{AC}/SIP/…}), routed by path only (the SDKs, redirected to
 * loopback, send a local {@code Host}), plus one sipauth extension, the SIP throttle
 * ({@link ThrottleRoutes}, {@code /v1/sipauth/Throttle}).
 *
 * <p>Every request except the probes {@code GET /health} (liveness) and {@code GET /ready}
 * (readiness, see {@link Readiness}) must carry HTTP Basic {@code AccountSid:AuthToken}.
 * A source with too many failed authentications gets 429 (Twilio code 20429) with
 * {@code Retry-After} for every request until its window ends; see {@link AuthFailureLimiter}.
 * Every error, including unknown paths, wrong methods, oversized or malformed bodies and
 * unexpected failures, is rendered as Twilio's error JSON with {@code status} equal to the HTTP
 * status. Request bodies and headers are never logged.
 */
final class AdminApi implements AutoCloseable {

    static final long MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final String ACCOUNT = "sipauth.account";
    private static final String KEEP_NOT_FOUND_MESSAGE = "sipauth.keep404";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String SIP = "/2010-04-01/Accounts/{account}/SIP";
    /**
     * The HTTP Basic challenge of 401 answers. Its realm names the API (as Twilio's "Twilio API"
     * does), not the SIP digest realm, which is a different protection space.
     */
    static final String CHALLENGE = "Basic realm=\"sipauth API\"";

    private final Provisioning provisioning;
    private final AuthFailureLimiter authFailures;
    private final String host;
    private final int port;
    private final String configuredPublicUrl;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ThrottleRoutes throttle;
    private final Javalin app;
    private volatile Representations representations;
    private volatile Readiness readiness;

    /**
     * @param publicUrl nullable base of absolute URLs; null = {@code http://host:boundPort}
     */
    AdminApi(Provisioning provisioning, String host, int port, String publicUrl) {
        this(provisioning, host, port, publicUrl, new AuthFailureLimiter(Clock.systemUTC()));
    }

    /** As above, with the limiter of failed authentications given (tests give it a clock they move). */
    AdminApi(Provisioning provisioning, String host, int port, String publicUrl, AuthFailureLimiter authFailures) {
        this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
        this.authFailures = Objects.requireNonNull(authFailures, "authFailures");
        this.host = host;
        this.port = port;
        this.configuredPublicUrl = publicUrl;
        this.throttle = new ThrottleRoutes(provisioning.store(), Clock.systemUTC());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            config.http.defaultContentType = "application/json";
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonJettyErrorHandler(mapper)));
            // Jetty 12 refuses a path whose percent-encoding is not UTF-8 (TK%FF) with 400; earlier Jetty
            // decoded it to U+FFFD, so such an unknown SID answers 404 (20404) as before.
            config.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(
                    UriCompliance.DEFAULT.with("sipauth", UriCompliance.Violation.BAD_UTF8_ENCODING)));
            installErrorHandling(config.routes);
            installRoutes(config.routes);
        });
    }

    /** Binds and starts serving; returns the bound port. */
    int start() {
        app.start(host, port);
        int bound = app.port();
        String base = configuredPublicUrl != null ? configuredPublicUrl
                : "http://" + urlHost(host) + ":" + bound;
        representations = new Representations(base);
        return bound;
    }

    int port() {
        return app.port();
    }

    String publicUrl() {
        return representations.publicUrl();
    }

    /** What {@code GET /ready} answers from now on; without it, ready once the API serves. */
    void readiness(Readiness readiness) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    /** The sipauth extension that shows the SIP engine's throttle ({@link ThrottleRoutes}). */
    ThrottleRoutes throttle() {
        return throttle;
    }

    @Override
    public void close() {
        app.stop();
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "localhost";
        }
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    // ---- cross-cutting -----------------------------------------------------------------------

    private void installErrorHandling(RoutesConfig routes) {
        routes.before(this::authenticate);
        routes.exception(ApiException.class, (e, ctx) -> {
            if (e.isNotFound() && !Boolean.TRUE.equals(ctx.attribute(KEEP_NOT_FOUND_MESSAGE))) {
                renderError(ctx, ApiError.notFound(ctx.path()));
            } else {
                renderError(ctx, e);
            }
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> renderHttpException(ctx, e.getStatus()));
        routes.exception(Exception.class, (e, ctx) -> {
            // Logged without the request: a body may hold a password.
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            renderError(ctx, new ApiException(500, ApiError.INTERNAL_ERROR, "Internal server error"));
        });
        routes.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.result() == null) {
                renderError(ctx, ApiError.notFound(ctx.path()));
            }
        });
    }

    private void renderHttpException(Context ctx, int status) {
        switch (status) {
            case 404 -> renderError(ctx, ApiError.notFound(ctx.path()));
            case 405 -> renderError(ctx, new ApiException(405, ApiError.METHOD_NOT_ALLOWED,
                    "Method " + ctx.method() + " not allowed on " + ctx.path()));
            case 413 -> renderError(ctx, tooLarge());
            default -> renderError(ctx, new ApiException(status, status, "Request failed with status " + status));
        }
    }

    private void renderError(Context ctx, ApiException e) {
        if (e.httpStatus() == 401) {
            ctx.header("WWW-Authenticate", CHALLENGE);
        }
        ctx.status(e.httpStatus()).json(ApiError.body(e));
    }

    private void authenticate(Context ctx) {
        if (representations == null) {
            throw new ApiException(503, 503, "Server is starting");
        }
        if (ctx.path().equals("/health") || ctx.path().equals("/ready")) {
            return;
        }
        String source = ctx.req().getRemoteAddr();
        // Refused before the credentials are looked at: a right token must not answer differently.
        long retryAfter = authFailures.retryAfterSeconds(source);
        if (retryAfter > 0) {
            ctx.header("Retry-After", Long.toString(retryAfter));
            throw ApiError.tooManyRequests();
        }
        Optional<Account> account = BasicAuth.parse(ctx.header("Authorization"))
                .flatMap(c -> provisioning.accounts().authenticate(c.user(), c.password()));
        if (account.isEmpty()) {
            authFailures.failed(source);
            throw ApiError.unauthorized();
        }
        ctx.attribute(ACCOUNT, account.get().sid());
    }

    /** The authenticated account (v1: the Basic user). */
    private static Sid account(Context ctx) {
        return Objects.requireNonNull(ctx.attribute(ACCOUNT), "authenticated account");
    }

    /** The 2010 path account, which must be the authenticated one; any other is a 404. */
    private static Sid account2010(Context ctx) {
        Sid authenticated = account(ctx);
        Optional<Sid> inPath = Sid.parse(SidKind.ACCOUNT, ctx.pathParam("account")).map(Sid::canonical);
        if (inPath.isEmpty() || !inPath.get().equals(authenticated)) {
            throw ApiError.notFound(ctx.path());
        }
        return authenticated;
    }

    private static Map<String, String> form(Context ctx) {
        byte[] body = boundedBody(ctx);
        String type = ctx.contentType();
        if (body.length == 0) {
            return Map.of();
        }
        if (type == null || !isUtf8Form(type)) {
            throw new ApiException(415, 415,
                    "Content-Type must be " + FORM + " (UTF-8); got " + (type == null ? "none" : printable(type)));
        }
        return FormParams.parse(body);
    }

    /**
     * The request body, at most {@link #MAX_BODY_BYTES}. Javalin's own limit checks only the
     * {@code Content-Length} header, so a chunked body would otherwise be buffered whole.
     */
    private static byte[] boundedBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            InputStream in = ctx.req().getInputStream(); // Jetty owns it: not closed here
            byte[] body = in.readNBytes((int) MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest(ApiException.BAD_REQUEST, "Request body could not be read");
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, 413, "Request body too large (at most " + MAX_BODY_BYTES + " bytes)");
    }

    static boolean isUtf8Form(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase(FORM)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String charset = param.substring(eq + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static PageRequest pageRequest(Context ctx) {
        Map<String, String> query = FormParams.parse(ctx.queryString());
        return PageRequest.parse(query.get("PageSize"), query.get("Page"), query.get("PageToken"));
    }

    private static void created(Context ctx, Object body) {
        ctx.status(201).json(body);
    }

    private static void deleted(Context ctx) {
        ctx.status(204);
    }

    private Representations rep() {
        return representations;
    }

    // ---- routes ------------------------------------------------------------------------------

    private void installRoutes(RoutesConfig routes) {
        routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/ready", ctx -> {
            Readiness current = readiness;
            Readiness.Status status = current == null ? Readiness.Status.READY : current.status();
            ctx.status(status == Readiness.Status.READY ? 200 : 503).json(Map.of("status", status.text));
        });
        trunkRoutes(routes);
        domainRoutes(routes);
        MappingFamily lists = credentialListMappings();
        MappingFamily acls = ipAccessControlListMappings();
        trunkMappingRoutes(routes, lists, Representations.CREDENTIAL_LISTS, "credential_lists");
        trunkMappingRoutes(routes, acls, Representations.IP_ACCESS_CONTROL_LISTS, "ip_access_control_lists");
        mappingRoutes(routes, lists, "/Auth/Calls", MappingKind.DOMAIN_CALLS, "contents", Representations::authMapping);
        mappingRoutes(routes, lists, "/Auth/Registrations", MappingKind.DOMAIN_REGISTRATIONS, "contents",
                Representations::authMapping);
        mappingRoutes(routes, lists, "", MappingKind.DOMAIN_CALLS, "credential_list_mappings",
                Representations::legacyMapping);
        mappingRoutes(routes, acls, "/Auth/Calls", MappingKind.DOMAIN_CALLS, "contents", Representations::authMapping);
        mappingRoutes(routes, acls, "", MappingKind.DOMAIN_CALLS, "ip_access_control_list_mappings",
                Representations::legacyMapping);
        var credentialLists = provisioning.credentialLists();
        namedListRoutes(routes, "CredentialLists", "credential_lists", new NamedLists<>(credentialLists::create,
                credentialLists::fetch, credentialLists::list, credentialLists::update, credentialLists::delete,
                Representations::credentialList));
        credentialRoutes(routes);
        originationUrlRoutes(routes);
        var ipLists = provisioning.ipAccessControlLists();
        namedListRoutes(routes, Representations.IP_ACCESS_CONTROL_LISTS, "ip_access_control_lists", new NamedLists<>(
                ipLists::create, ipLists::fetch, ipLists::list, ipLists::update, ipLists::delete,
                Representations::ipAccessControlList));
        ipAddressRoutes(routes);
        throttle.install(routes, AdminApi::account, this::publicUrl);
    }

    private void trunkRoutes(RoutesConfig routes) {
        var trunks = provisioning.trunks();
        routes.post("/v1/Trunks", ctx -> {
            var trunk = trunks.create(account(ctx), trunkInput(form(ctx)));
            created(ctx, rep().trunk(trunk, trunks.authTypes(trunk)));
        });
        routes.get("/v1/Trunks", ctx -> {
            Page<org.sipauth.core.model.Trunk> page = trunks.list(account(ctx), pageRequest(ctx));
            List<Object> items = page.items().stream().map(t -> (Object) rep().trunk(t, trunks.authTypes(t))).toList();
            ctx.json(Envelopes.v1("trunks", items, page, rep().trunksUrl()));
        });
        routes.get("/v1/Trunks/{sid}", ctx -> {
            var trunk = trunks.fetch(account(ctx), ctx.pathParam("sid"));
            ctx.json(rep().trunk(trunk, trunks.authTypes(trunk)));
        });
        routes.post("/v1/Trunks/{sid}", ctx -> {
            Sid account = account(ctx);
            trunks.fetch(account, ctx.pathParam("sid")); // 404 before looking at the body
            var trunk = trunks.update(account, ctx.pathParam("sid"), trunkInput(form(ctx)));
            ctx.json(rep().trunk(trunk, trunks.authTypes(trunk)));
        });
        routes.delete("/v1/Trunks/{sid}", ctx -> {
            trunks.delete(account(ctx), ctx.pathParam("sid"));
            deleted(ctx);
        });

    }

    /** One operation on a mapping: (account, kind, target SID, list SID) -> the mapping as the wire shows it. */
    @FunctionalInterface
    private interface MappingOp {
        Mapped apply(Sid account, MappingKind kind, String target, String list);
    }

    /** One page of a target's mappings. */
    @FunctionalInterface
    private interface MappingPage {
        Page<Mapped> list(Sid account, MappingKind kind, String target, PageRequest request);
    }

    /** Removes a mapping. */
    @FunctionalInterface
    private interface MappingDelete {
        void delete(Sid account, MappingKind kind, String target, String list);
    }

    /**
     * A kind of mapping as the routes use it: credential lists or IP access control lists.
     *
     * @param param    the form parameter that names the list on create
     * @param resource the 2010 path segment ({@code CredentialListMappings}, {@code IpAccessControlListMappings})
     */
    private record MappingFamily(String param, String resource, MappingOp create, MappingOp fetch, MappingPage list,
                                 MappingDelete delete) {
    }

    private MappingFamily credentialListMappings() {
        var m = provisioning.mappings();
        return new MappingFamily("CredentialListSid", Representations.CREDENTIAL_LIST_MAPPINGS,
                (a, k, t, l) -> Mapped.of(m.create(a, k, t, l)), (a, k, t, l) -> Mapped.of(m.fetch(a, k, t, l)),
                (a, k, t, r) -> m.list(a, k, t, r).map(Mapped::of), m::delete);
    }

    private MappingFamily ipAccessControlListMappings() {
        var m = provisioning.ipAccessControlListMappings();
        return new MappingFamily("IpAccessControlListSid", Representations.IP_ACCESS_CONTROL_LIST_MAPPINGS,
                (a, k, t, l) -> Mapped.of(m.create(a, k, t, l)), (a, k, t, l) -> Mapped.of(m.fetch(a, k, t, l)),
                (a, k, t, r) -> m.list(a, k, t, r).map(Mapped::of), m::delete);
    }

    /**
     * A trunk's mappings of one family: {@code /v1/Trunks/{TK}/CredentialLists} or {@code …/IpAccessControlLists}.
     *
     * @param resource the path segment, {@code key} the list key of the v1 envelope
     */
    private void trunkMappingRoutes(RoutesConfig routes, MappingFamily family, String resource, String key) {
        var trunks = provisioning.trunks();
        String base = "/v1/Trunks/{trunk}/" + resource;
        routes.post(base, ctx -> {
            Sid account = account(ctx);
            trunks.fetch(account, ctx.pathParam("trunk"));
            Map<String, String> form = form(ctx);
            ctx.attribute(KEEP_NOT_FOUND_MESSAGE, true); // from here a 404 is about the list parameter
            created(ctx, rep().trunkMapping(
                    family.create().apply(account, MappingKind.TRUNK, ctx.pathParam("trunk"), form.get(family.param())),
                    resource));
        });
        routes.get(base, ctx -> {
            Sid account = account(ctx);
            Sid trunk = trunks.fetch(account, ctx.pathParam("trunk")).sid();
            Page<Mapped> page = family.list().list(account, MappingKind.TRUNK, trunk.value(), pageRequest(ctx));
            ctx.json(Envelopes.v1(key, page.items().stream().map(m -> (Object) rep().trunkMapping(m, resource)).toList(),
                    page, rep().trunkMappingsUrl(trunk, resource)));
        });
        routes.get(base + "/{sid}", ctx -> ctx.json(rep().trunkMapping(family.fetch().apply(account(ctx),
                MappingKind.TRUNK, ctx.pathParam("trunk"), ctx.pathParam("sid")), resource)));
        routes.delete(base + "/{sid}", ctx -> {
            family.delete().delete(account(ctx), MappingKind.TRUNK, ctx.pathParam("trunk"), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    private void domainRoutes(RoutesConfig routes) {
        var domains = provisioning.sipDomains();
        routes.post(SIP + "/Domains.json", ctx -> {
            var domain = domains.create(account2010(ctx), domainInput(form(ctx)));
            created(ctx, Representations.domain(domain, domains.authTypes(domain)));
        });
        routes.get(SIP + "/Domains.json", ctx -> {
            Sid account = account2010(ctx);
            var page = domains.list(account, pageRequest(ctx));
            ctx.json(Envelopes.v2010("domains",
                    page.items().stream().map(d -> (Object) Representations.domain(d, domains.authTypes(d))).toList(),
                    page, Representations.domainsPath(account) + ".json"));
        });
        routes.get(SIP + "/Domains/{sid}.json", ctx -> {
            var domain = domains.fetch(account2010(ctx), ctx.pathParam("sid"));
            ctx.json(Representations.domain(domain, domains.authTypes(domain)));
        });
        routes.post(SIP + "/Domains/{sid}.json", ctx -> {
            Sid account = account2010(ctx);
            domains.fetch(account, ctx.pathParam("sid"));
            var domain = domains.update(account, ctx.pathParam("sid"), domainInput(form(ctx)));
            ctx.json(Representations.domain(domain, domains.authTypes(domain)));
        });
        routes.delete(SIP + "/Domains/{sid}.json", ctx -> {
            domains.delete(account2010(ctx), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    /**
     * One family of domain mapping routes.
     *
     * @param segment {@code /Auth/Calls}, {@code /Auth/Registrations} or {@code ""} (legacy)
     */
    private void mappingRoutes(RoutesConfig routes, MappingFamily family, String segment, MappingKind kind, String key,
                               BiFunction<Mapped, String, Map<String, Object>> render) {
        var domains = provisioning.sipDomains();
        String resource = family.resource();
        String base = SIP + "/Domains/{domain}" + segment + "/" + resource;
        routes.post(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            domains.fetch(account, ctx.pathParam("domain"));
            Map<String, String> form = form(ctx);
            ctx.attribute(KEEP_NOT_FOUND_MESSAGE, true);
            created(ctx, render.apply(family.create().apply(account, kind, ctx.pathParam("domain"),
                    form.get(family.param())), resource));
        });
        routes.get(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            Sid domain = domains.fetch(account, ctx.pathParam("domain")).sid();
            var page = family.list().list(account, kind, domain.value(), pageRequest(ctx));
            ctx.json(Envelopes.v2010(key, page.items().stream().map(m -> (Object) render.apply(m, resource)).toList(),
                    page, Representations.domainMappingsPath(account, domain, segment, resource) + ".json"));
        });
        routes.get(base + "/{sid}.json", ctx -> ctx.json(render.apply(family.fetch().apply(account2010(ctx), kind,
                ctx.pathParam("domain"), ctx.pathParam("sid")), resource)));
        routes.delete(base + "/{sid}.json", ctx -> {
            family.delete().delete(account2010(ctx), kind, ctx.pathParam("domain"), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    /** Create, fetch, list, rename and delete of a kind of named list (credential lists, IP access control lists). */
    private record NamedLists<T>(BiFunction<Sid, String, T> create, BiFunction<Sid, String, T> fetch,
                                 BiFunction<Sid, PageRequest, Page<T>> list, ListRename<T> rename,
                                 BiConsumer<Sid, String> delete, Function<T, Map<String, Object>> render) {
    }

    /** Renames a list: (account, list SID, FriendlyName) -> the list. */
    @FunctionalInterface
    private interface ListRename<T> {
        T rename(Sid account, String sid, String friendlyName);
    }

    /**
     * {@code …/SIP/{resource}.json} and {@code …/{resource}/{sid}.json}: a kind of list named by
     * {@code FriendlyName}; {@code key} is the list key of the 2010 envelope.
     */
    private <T> void namedListRoutes(RoutesConfig routes, String resource, String key, NamedLists<T> lists) {
        String base = SIP + "/" + resource;
        routes.post(base + ".json", ctx -> created(ctx, lists.render().apply(
                lists.create().apply(account2010(ctx), form(ctx).get("FriendlyName")))));
        routes.get(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            var page = lists.list().apply(account, pageRequest(ctx));
            ctx.json(Envelopes.v2010(key, page.items().stream().map(l -> (Object) lists.render().apply(l)).toList(),
                    page, Representations.sipPath(account) + "/" + resource + ".json"));
        });
        routes.get(base + "/{sid}.json", ctx -> ctx.json(lists.render().apply(
                lists.fetch().apply(account2010(ctx), ctx.pathParam("sid")))));
        routes.post(base + "/{sid}.json", ctx -> {
            Sid account = account2010(ctx);
            lists.fetch().apply(account, ctx.pathParam("sid"));
            ctx.json(lists.render().apply(lists.rename().rename(account, ctx.pathParam("sid"),
                    form(ctx).get("FriendlyName"))));
        });
        routes.delete(base + "/{sid}.json", ctx -> {
            lists.delete().accept(account2010(ctx), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    private void credentialRoutes(RoutesConfig routes) {
        var lists = provisioning.credentialLists();
        var credentials = provisioning.credentials();
        String base = SIP + "/CredentialLists/{list}/Credentials";
        routes.post(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            lists.fetch(account, ctx.pathParam("list"));
            Map<String, String> form = form(ctx);
            created(ctx, Representations.credential(
                    credentials.create(account, ctx.pathParam("list"), form.get("Username"), form.get("Password"))));
        });
        routes.get(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            Sid list = lists.fetch(account, ctx.pathParam("list")).sid();
            var page = credentials.list(account, list.value(), pageRequest(ctx));
            ctx.json(Envelopes.v2010("credentials",
                    page.items().stream().map(c -> (Object) Representations.credential(c)).toList(),
                    page, Representations.credentialsPath(account, list) + ".json"));
        });
        routes.get(base + "/{sid}.json", ctx -> ctx.json(Representations.credential(
                credentials.fetch(account2010(ctx), ctx.pathParam("list"), ctx.pathParam("sid")))));
        routes.post(base + "/{sid}.json", ctx -> {
            Sid account = account2010(ctx);
            credentials.fetch(account, ctx.pathParam("list"), ctx.pathParam("sid"));
            ctx.json(Representations.credential(credentials.update(account, ctx.pathParam("list"), ctx.pathParam("sid"),
                    form(ctx).get("Password"))));
        });
        routes.delete(base + "/{sid}.json", ctx -> {
            credentials.delete(account2010(ctx), ctx.pathParam("list"), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    /**
     * Origination URLs: Twilio's trunk resource ({@code /v1/Trunks/{TK}/OriginationUrls}) and the
     * sipauth extension of the same shape on SIP domains ({@code …/SIP/Domains/{SD}/OriginationUrls.json}).
     */
    private void originationUrlRoutes(RoutesConfig routes) {
        var urls = provisioning.originationUrls();
        String trunk = "/v1/Trunks/{target}/OriginationUrls";
        routes.post(trunk, ctx -> {
            Sid account = account(ctx);
            provisioning.trunks().fetch(account, ctx.pathParam("target")); // 404 before looking at the body
            created(ctx, rep().trunkOriginationUrl(
                    urls.create(account, SidKind.TRUNK, ctx.pathParam("target"), originationUrlInput(form(ctx)))));
        });
        routes.get(trunk, ctx -> {
            var page = urls.list(account(ctx), SidKind.TRUNK, ctx.pathParam("target"), pageRequest(ctx));
            Sid target = Sid.of(SidKind.TRUNK, ctx.pathParam("target")).canonical();
            ctx.json(Envelopes.v1("origination_urls", page.items().stream().map(u -> (Object) rep().trunkOriginationUrl(u))
                    .toList(), page, rep().trunkOriginationUrlsUrl(target)));
        });
        routes.get(trunk + "/{sid}", ctx -> ctx.json(rep().trunkOriginationUrl(
                urls.fetch(account(ctx), SidKind.TRUNK, ctx.pathParam("target"), ctx.pathParam("sid")))));
        routes.post(trunk + "/{sid}", ctx -> {
            Sid account = account(ctx);
            urls.fetch(account, SidKind.TRUNK, ctx.pathParam("target"), ctx.pathParam("sid")); // 404 before the body
            ctx.json(rep().trunkOriginationUrl(urls.update(account, SidKind.TRUNK, ctx.pathParam("target"),
                    ctx.pathParam("sid"), originationUrlInput(form(ctx)))));
        });
        routes.delete(trunk + "/{sid}", ctx -> {
            urls.delete(account(ctx), SidKind.TRUNK, ctx.pathParam("target"), ctx.pathParam("sid"));
            deleted(ctx);
        });

        String domain = SIP + "/Domains/{target}/OriginationUrls";
        routes.post(domain + ".json", ctx -> {
            Sid account = account2010(ctx);
            provisioning.sipDomains().fetch(account, ctx.pathParam("target"));
            created(ctx, Representations.domainOriginationUrl(
                    urls.create(account, SidKind.SIP_DOMAIN, ctx.pathParam("target"), originationUrlInput(form(ctx)))));
        });
        routes.get(domain + ".json", ctx -> {
            Sid account = account2010(ctx);
            var page = urls.list(account, SidKind.SIP_DOMAIN, ctx.pathParam("target"), pageRequest(ctx));
            Sid target = Sid.of(SidKind.SIP_DOMAIN, ctx.pathParam("target")).canonical();
            ctx.json(Envelopes.v2010("origination_urls", page.items().stream()
                    .map(u -> (Object) Representations.domainOriginationUrl(u)).toList(), page,
                    Representations.domainOriginationUrlsPath(account, target) + ".json"));
        });
        routes.get(domain + "/{sid}.json", ctx -> ctx.json(Representations.domainOriginationUrl(
                urls.fetch(account2010(ctx), SidKind.SIP_DOMAIN, ctx.pathParam("target"), ctx.pathParam("sid")))));
        routes.post(domain + "/{sid}.json", ctx -> {
            Sid account = account2010(ctx);
            urls.fetch(account, SidKind.SIP_DOMAIN, ctx.pathParam("target"), ctx.pathParam("sid"));
            ctx.json(Representations.domainOriginationUrl(urls.update(account, SidKind.SIP_DOMAIN,
                    ctx.pathParam("target"), ctx.pathParam("sid"), originationUrlInput(form(ctx)))));
        });
        routes.delete(domain + "/{sid}.json", ctx -> {
            urls.delete(account2010(ctx), SidKind.SIP_DOMAIN, ctx.pathParam("target"), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    private void ipAddressRoutes(RoutesConfig routes) {
        var lists = provisioning.ipAccessControlLists();
        var addresses = provisioning.ipAddresses();
        String base = SIP + "/IpAccessControlLists/{list}/IpAddresses";
        routes.post(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            lists.fetch(account, ctx.pathParam("list"));
            Map<String, String> form = form(ctx);
            created(ctx, Representations.ipAddress(addresses.create(account, ctx.pathParam("list"),
                    form.get("FriendlyName"), form.get("IpAddress"), form.get("CidrPrefixLength"))));
        });
        routes.get(base + ".json", ctx -> {
            Sid account = account2010(ctx);
            Sid list = lists.fetch(account, ctx.pathParam("list")).sid();
            var page = addresses.list(account, list.value(), pageRequest(ctx));
            ctx.json(Envelopes.v2010("ip_addresses",
                    page.items().stream().map(a -> (Object) Representations.ipAddress(a)).toList(),
                    page, Representations.ipAddressesPath(account, list) + ".json"));
        });
        routes.get(base + "/{sid}.json", ctx -> ctx.json(Representations.ipAddress(
                addresses.fetch(account2010(ctx), ctx.pathParam("list"), ctx.pathParam("sid")))));
        routes.post(base + "/{sid}.json", ctx -> {
            Sid account = account2010(ctx);
            addresses.fetch(account, ctx.pathParam("list"), ctx.pathParam("sid"));
            Map<String, String> form = form(ctx);
            ctx.json(Representations.ipAddress(addresses.update(account, ctx.pathParam("list"), ctx.pathParam("sid"),
                    form.get("FriendlyName"), form.get("IpAddress"), form.get("CidrPrefixLength"))));
        });
        routes.delete(base + "/{sid}.json", ctx -> {
            addresses.delete(account2010(ctx), ctx.pathParam("list"), ctx.pathParam("sid"));
            deleted(ctx);
        });
    }

    // ---- form -> input -----------------------------------------------------------------------

    /** {@code DigestAlgorithms} is sipauth's own parameter; Twilio's SDKs never send it. */
    static TrunkInput trunkInput(Map<String, String> form) {
        return new TrunkInput(form.get("FriendlyName"), form.get("DomainName"), form.get("DisasterRecoveryUrl"),
                form.get("DisasterRecoveryMethod"), form.get("TransferMode"), form.get("Secure"),
                form.get("CnamLookupEnabled"), form.get("TransferCallerId"), form.get("DigestAlgorithms"));
    }

    static OriginationUrlInput originationUrlInput(Map<String, String> form) {
        return new OriginationUrlInput(form.get("FriendlyName"), form.get("SipUrl"), form.get("Priority"),
                form.get("Weight"), form.get("Enabled"));
    }

    /** {@code DigestAlgorithms} is sipauth's own parameter; Twilio's SDKs never send it. */
    static SipDomainInput domainInput(Map<String, String> form) {
        return new SipDomainInput(form.get("DomainName"), form.get("FriendlyName"), form.get("VoiceUrl"),
                form.get("VoiceMethod"), form.get("VoiceFallbackUrl"), form.get("VoiceFallbackMethod"),
                form.get("VoiceStatusCallbackUrl"), form.get("VoiceStatusCallbackMethod"), form.get("SipRegistration"),
                form.get("EmergencyCallingEnabled"), form.get("Secure"), form.get("ByocTrunkSid"),
                form.get("EmergencyCallerSid"), form.get("DigestAlgorithms"));
    }

}
