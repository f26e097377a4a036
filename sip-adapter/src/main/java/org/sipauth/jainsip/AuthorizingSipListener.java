package org.sipauth.jainsip;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.message.SIPMessage;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SipListener} that authorizes requests before the application sees them.
 *
 * <p>Wrap the application's own listener and register the wrapper with the provider. Each request
 * whose method is authorized (INVITE by default) is decided by the authorizer before the stack
 * creates a server transaction for it (see {@link Builder#statelessRejections}): a challenge (401
 * with one WWW-Authenticate per offered algorithm, or 407 with Proxy-Authenticate) or a rejection
 * (the engine's status: 400 for malformed authorization data, 403, 404, …; 503 if the authorizer
 * throws) is answered statelessly, RFC 3261 8.2.7, with a To-tag derived from the request, and its
 * ACK is dropped; only an accepted request gets a server transaction, and goes on to the
 * application with it ({@link RequestEvent#getServerTransaction()}). A retransmission of an
 * accepted request is absorbed by its transaction, or, after the stack has forgotten it, by this
 * listener (see {@link Builder#retransmissionWindow}). Requests of other methods, responses and all
 * other events go to the delegate untouched.
 *
 * <p>Thread-safe when the delegate is; configure the stack with {@link SipStackDefaults} (or at
 * least {@code gov.nist.javax.sip.REENTRANT_LISTENER=true} and the two hooks named in
 * {@link Builder#statelessRejections}).
 */
public final class AuthorizingSipListener implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizingSipListener.class);
    /** Seconds a client refused while {@linkplain #drain() draining} is asked to wait ({@code Retry-After}). */
    public static final int DRAINING_RETRY_AFTER_SECONDS = 30;
    static final int DEFAULT_TIMER_I_MILLIS = 500;
    static final Duration DEFAULT_RETRANSMISSION_WINDOW = Duration.ofSeconds(32);
    private static final int WINDOW_SLICES = 8;
    /** Per 4 s slice: 25,000 handled transactions a second (two per authenticated call). */
    private static final int MAX_RECENT_PER_SLICE = 100_000;

    private final SipListener delegate;
    private final Function<AuthRequest, AuthDecision> authorizer;
    private final Role role;
    private final Set<String> methods;
    private final MessageFactory messageFactory;
    private final HeaderFactory headerFactory;
    private final Consumer<AuthorizationEvent> decisionListener;
    private final int timerIMillis;
    private final RecentTransactions recent;
    private final StatelessFront front;
    private final DatagramResponder datagramResponder;
    private final Predicate<Request> skip;
    private final AtomicBoolean warnedStateful = new AtomicBoolean();
    private final AtomicLong drained = new AtomicLong();
    private volatile boolean draining;

    private AuthorizingSipListener(Builder b) {
        this.delegate = b.delegate;
        this.authorizer = b.authorizer;
        this.role = b.role;
        this.methods = Set.copyOf(b.methods);
        this.messageFactory = b.messageFactory;
        this.headerFactory = b.headerFactory;
        this.decisionListener = b.decisionListener;
        this.timerIMillis = b.timerIMillis;
        this.recent = b.retransmissionWindow.isZero() ? null
                : new RecentTransactions(b.retransmissionWindow, WINDOW_SLICES, MAX_RECENT_PER_SLICE, System::nanoTime);
        this.front = b.statelessRejections ? new StatelessFront(this, role) : null;
        this.datagramResponder = b.datagramResponder;
        this.skip = b.skip;
    }

    /**
     * Starts a builder around the application's listener. {@code authorizer} is typically
     * {@code inviteAuthorizer::authorize}; it must be thread-safe and must not block for long.
     */
    public static Builder builder(SipListener delegate, Function<AuthRequest, AuthDecision> authorizer) {
        return new Builder(delegate, authorizer);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (request instanceof SIPMessage m && m.getApplicationData() instanceof WireText wire && wire.answered) {
            return; // a malformed mandatory header, already answered 400 by the parser
        }
        if (!methods.contains(request.getMethod()) || skips(request)) {
            delegate.processRequest(event);
            return;
        }
        SipProvider provider = (SipProvider) event.getSource();
        if (request instanceof SIPMessage m && m.getApplicationData() instanceof WireText wire && wire.decision != null) {
            passAccepted(event, provider, wire);
            return;
        }
        boolean lateCopy = request instanceof SIPMessage m && m.getApplicationData() instanceof WireText wire
                && wire.passedToTransaction;
        if (front != null && !lateCopy && warnedStateful.compareAndSet(false, true)) {
            LOG.warn("{} reached the listener undecided: stateless rejections need {} in the stack property"
                    + " gov.nist.javax.sip.SIP_MESSAGE_VALVE and {} as MESSAGE_PARSER_FACTORY (see SipStackDefaults);"
                    + " deciding with a server transaction instead", request.getMethod(),
                    StatelessValve.class.getName(), WireTextParserFactory.class.getName());
        }
        ServerTransaction transaction = event.getServerTransaction();
        long identity = recent == null ? 0 : recent.identity(request);
        if (transaction == null) {
            if (identity != 0 && recent.contains(identity)) {
                // A retransmission of a request answered or passed on earlier, arriving after the
                // stack forgot its transaction: the answer is already on its way (RFC 6026 absorbs
                // such INVITEs in the Accepted state); authorizing it again would only replay.
                LOG.debug("late retransmission of {} absorbed", request.getMethod());
                return;
            }
            if (refusesWhileDraining(request)) {
                answerStateless(provider, request, Response.SERVICE_UNAVAILABLE);
                return;
            }
            try {
                transaction = provider.getNewServerTransaction(request);
            } catch (TransactionAlreadyExistsException e) {
                // A retransmission that raced its original: the existing transaction answers it.
                return;
            } catch (TransactionUnavailableException e) {
                if (e.getCause() instanceof ParseException) {
                    // A required header is missing (RFC 3261 8.1.1, e.g. an INVITE without Contact).
                    answerStateless(provider, request, Response.BAD_REQUEST);
                } else {
                    // The stack sheds load (transaction table full): dropping the request makes the
                    // client retransmit later.
                    LOG.debug("no server transaction for {} request: {}", request.getMethod(), e.toString());
                }
                return;
            }
        }
        if (identity != 0) {
            recent.add(identity);
        }
        AuthRequest facts;
        try {
            facts = AuthRequests.from(event, role);
        } catch (RuntimeException e) {
            // The RI hands over requests it parsed; anything we cannot read is the client's fault.
            LOG.debug("unreadable request: {}", e.toString());
            answer(transaction, request, new AuthDecision.Denied(Response.BAD_REQUEST, AuthDecision.Reason.MALFORMED));
            return;
        }
        AuthDecision decision = decide(facts);
        if (decision instanceof AuthDecision.Allowed allowed) {
            delegate.processRequest(withTransaction(event, provider, transaction, allowed));
        } else {
            answer(transaction, request, decision);
        }
    }

    /**
     * A request {@link StatelessFront} accepted before the stack made a transaction for it: gets its
     * transaction now and goes to the application, without a second authorization.
     */
    private void passAccepted(RequestEvent event, SipProvider provider, WireText wire) {
        Request request = event.getRequest();
        ServerTransaction transaction = event.getServerTransaction();
        try {
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(request);
            }
            if (recent != null) {
                recent.add(wire.identity != 0 ? wire.identity : recent.identity(request));
            }
        } catch (TransactionAlreadyExistsException e) {
            return; // a retransmission that raced its original: the existing transaction answers it
        } catch (TransactionUnavailableException e) {
            if (e.getCause() instanceof ParseException) {
                answerStateless(provider, request, Response.BAD_REQUEST); // a required header is missing (RFC 3261 8.1.1)
            } else {
                LOG.debug("no server transaction for accepted {}: {}", request.getMethod(), e.toString());
            }
            return;
        } finally {
            front.decided(wire);
        }
        delegate.processRequest(withTransaction(event, provider, transaction, wire.decision));
    }

    /**
     * Stops taking new work, for a graceful stop: from now on each new request of the authorized
     * methods outside a dialog (no To-tag; a new INVITE by default) is answered {@code 503 Service
     * Unavailable} with {@code Retry-After: }{@value #DRAINING_RETRY_AFTER_SECONDS}, statelessly and
     * without asking the authorizer, so that a proxy in front fails over to another node. Work under
     * way keeps flowing: requests with a To-tag (BYE, re-INVITE, …), ACK, CANCEL, copies of requests
     * accepted earlier (their transactions answer them), responses, and requests of other methods.
     * There is no way back; wait for the stack's transactions in progress to finish, then stop the
     * stack. Thread-safe.
     */
    public void drain() {
        if (!draining) {
            draining = true;
            LOG.info("draining: new {} requests are answered 503", methods);
        }
    }

    /** True once {@link #drain()} was called. */
    public boolean isDraining() {
        return draining;
    }

    /** New requests answered 503 because the listener is draining, since start. */
    long drainedRequests() {
        return drained.get();
    }

    /**
     * True (and counted) when {@code request}, a new request of an authorized method, must be
     * refused because the listener is draining: it is outside a dialog.
     */
    boolean refusesWhileDraining(Request request) {
        if (!draining || !(request.getHeader(ToHeader.NAME) instanceof ToHeader to) || to.getTag() != null) {
            return false;
        }
        drained.incrementAndGet();
        return true;
    }

    /** The stateless front, or null when stateless rejections are off. */
    StatelessFront front() {
        return front;
    }

    /** True when requests of {@code method} are authorized by this listener. */
    boolean authorizes(String method) {
        return methods.contains(method);
    }

    /** The keyed identity {@link RecentTransactions} remembers requests by; 0 when the window is off. */
    long recentIdentity(Request request) {
        return recent == null ? 0 : recent.identity(request);
    }

    /** The identity of a scanned datagram, as {@link #recentIdentity(Request)}; 0 when the window is off. */
    long recentIdentity(RawRequest request) {
        return recent == null ? 0 : recent.identity(request);
    }

    /** Records a request answered without a transaction, so that its late copies are absorbed. */
    void remember(long identity) {
        if (identity != 0) {
            recent.add(identity);
        }
    }

    /** The application's responder for accepted datagrams, or null. */
    DatagramResponder datagramResponder() {
        return datagramResponder;
    }

    /** True when a request with {@code identity} was accepted within the retransmission window. */
    boolean isLateRetransmission(long identity) {
        return identity != 0 && recent.contains(identity);
    }

    /**
     * Asks the authorizer and publishes the decision; null when the authorizer failed (the
     * request is then answered 503).
     */
    AuthDecision decide(AuthRequest facts) {
        AuthDecision decision;
        try {
            decision = Objects.requireNonNull(authorizer.apply(facts), "authorizer returned null");
        } catch (RuntimeException e) {
            LOG.warn("authorizer failed; answering 503", e);
            publish(facts, null, e);
            return null;
        }
        publish(facts, decision, null);
        return decision;
    }

    private void publish(AuthRequest facts, AuthDecision decision, RuntimeException failure) {
        if (decisionListener == null) {
            return;
        }
        // An INVITE allowed by its source alone (IP access control lists only) verified no username.
        String username = decision instanceof AuthDecision.Allowed a
                ? (a.username() != null ? a.username() : "")
                : AuthRequests.claimedUsername(facts.credentials());
        try {
            decisionListener.accept(new AuthorizationEvent(facts.method(), facts.requestUriHost(), username,
                    facts.source(), facts.transport(), decision, failure));
        } catch (RuntimeException e) {
            LOG.warn("decision listener failed", e);
        }
    }

    private static RequestEvent withTransaction(RequestEvent event, SipProvider provider, ServerTransaction tx,
                                                AuthDecision.Allowed decision) {
        AuthorizedRequestEvent copy = new AuthorizedRequestEvent(provider, tx, event.getDialog(), event.getRequest(),
                decision);
        if (event instanceof RequestEventExt ext) {
            copy.setRemoteIpAddress(ext.getRemoteIpAddress());
            copy.setRemotePort(ext.getRemotePort());
        }
        return copy;
    }

    /** True when a {@link Builder#skipAuthorizationWhen} predicate is set. */
    boolean maySkip() {
        return skip != null;
    }

    /** True when the application authorizes {@code request} itself ({@link Builder#skipAuthorizationWhen}). */
    boolean skips(Request request) {
        return skip != null && skip.test(request);
    }

    /** Answers a request that was not accepted on its transaction; {@code decision} null: 503. */
    private void answer(ServerTransaction transaction, Request request, AuthDecision decision) {
        try {
            send(transaction, response(request, statusOf(decision), decision));
        } catch (Exception e) {
            LOG.warn("could not answer {} with {}: {}", request.getMethod(), decision, e.toString());
        }
    }

    /**
     * The response with {@code status} to {@code request}, with one WWW-Authenticate or
     * Proxy-Authenticate header per offered algorithm when {@code decision} is a challenge, and
     * while draining a 503 with Retry-After. No To-tag.
     */
    Response response(Request request, int status, AuthDecision decision) throws ParseException, InvalidArgumentException {
        Response response = messageFactory.createResponse(status, request);
        if (decision instanceof AuthDecision.Challenge challenge) {
            String headerName = challenge.status() == Response.PROXY_AUTHENTICATION_REQUIRED
                    ? "Proxy-Authenticate" : "WWW-Authenticate";
            for (DigestChallenge c : challenge.challenges()) {
                response.addHeader(ChallengeHeaders.create(headerFactory, headerName, c));
            }
        }
        if (status == Response.SERVICE_UNAVAILABLE && draining) {
            response.addHeader(headerFactory.createRetryAfterHeader(DRAINING_RETRY_AFTER_SECONDS));
        }
        return response;
    }

    /** The status a request that was not accepted is answered with; an engine failure (null) is 503. */
    static int statusOf(AuthDecision decision) {
        if (decision instanceof AuthDecision.Challenge c) {
            return c.status();
        }
        if (decision instanceof AuthDecision.Denied d) {
            return d.status() >= 400 && d.status() <= 699 ? d.status() : Response.FORBIDDEN;
        }
        return Response.SERVICE_UNAVAILABLE;
    }

    private void answerStateless(SipProvider provider, Request request, int status) {
        try {
            Response response = response(request, status, null);
            ToTags.ensure(response);
            provider.sendResponse(response);
        } catch (Exception e) {
            LOG.debug("could not answer {} with {}: {}", request.getMethod(), status, e.toString());
        }
    }

    private void send(ServerTransaction transaction, Response response) throws Exception {
        ToTags.ensure(response);
        if (transaction instanceof TransactionExt ext) {
            // The RI derives Timer I from T4; every response sent here is a non-2xx final one.
            ext.setTimerT4(timerIMillis);
        }
        transaction.sendResponse(response);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        delegate.processResponse(event);
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        delegate.processTimeout(event);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        delegate.processIOException(event);
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        delegate.processTransactionTerminated(event);
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        delegate.processDialogTerminated(event);
    }

    /** Configures an {@link AuthorizingSipListener}; every setting has a default except the two given. */
    public static final class Builder {
        private final SipListener delegate;
        private final Function<AuthRequest, AuthDecision> authorizer;
        private Role role = Role.UAS;
        private Set<String> methods = Set.of(Request.INVITE);
        private MessageFactory messageFactory;
        private HeaderFactory headerFactory;
        private Consumer<AuthorizationEvent> decisionListener;
        private int timerIMillis = DEFAULT_TIMER_I_MILLIS;
        private Duration retransmissionWindow = DEFAULT_RETRANSMISSION_WINDOW;
        private boolean statelessRejections = true;
        private DatagramResponder datagramResponder;
        private Predicate<Request> skip;

        private Builder(SipListener delegate, Function<AuthRequest, AuthDecision> authorizer) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        }

        /** UAS (401 + WWW-Authenticate, the default) or proxy (407 + Proxy-Authenticate). */
        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /**
         * The methods to authorize (default INVITE only); all others pass through untouched.
         * ACK and CANCEL cannot be authorized: they are part of the INVITE transaction.
         */
        public Builder methods(Set<String> methods) {
            Set<String> upper = new TreeSet<>();
            for (String method : Objects.requireNonNull(methods, "methods")) {
                String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
                if (m.equals(Request.ACK) || m.equals(Request.CANCEL)) {
                    throw new IllegalArgumentException(m + " cannot be challenged (RFC 3261 22.1)");
                }
                upper.add(m);
            }
            if (upper.isEmpty()) {
                throw new IllegalArgumentException("methods must not be empty");
            }
            this.methods = upper;
            return this;
        }

        /** Factories used to build responses (default: from {@link SipFactory}). */
        public Builder factories(MessageFactory messageFactory, HeaderFactory headerFactory) {
            this.messageFactory = Objects.requireNonNull(messageFactory, "messageFactory");
            this.headerFactory = Objects.requireNonNull(headerFactory, "headerFactory");
            return this;
        }

        /** Called once per decision on the stack's thread; keep it cheap (e.g. one log line). */
        public Builder onDecision(Consumer<AuthorizationEvent> listener) {
            this.decisionListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * RFC 3261 Timer I of the INVITE transactions this listener answers itself (challenges and
         * rejections, over UDP): how long such a transaction stays after the ACK, only to absorb
         * retransmitted ACKs. Default 500 ms instead of the RFC's T4 (5 s): measured under load, the
         * 5 s kept every challenged call's parsed INVITE alive ten times longer than needed and set
         * the size of the garbage collector's pauses. An ACK arriving later reaches the delegate
         * as an ACK without a server transaction, which a SIP application ignores (the standalone
         * server does). 1 ms .. 32 s.
         */
        public Builder timerI(Duration timerI) {
            Objects.requireNonNull(timerI, "timerI");
            if (timerI.toMillis() < 1 || timerI.toMillis() > 32_000) {
                throw new IllegalArgumentException("timer I must be 1 ms .. 32 s, got " + timerI);
            }
            this.timerIMillis = (int) timerI.toMillis();
            return this;
        }

        /**
         * How long a request this listener answered or passed on is remembered after the stack has
         * dropped its transaction, so that a late retransmission of it is absorbed instead of being
         * authorized again (default 32 s, RFC 6026 Timer L; {@link Duration#ZERO} turns it off).
         * Under load a client may retransmit an INVITE before the first copy is answered; the stack
         * keeps a finished transaction only for its linger ({@link SipStackDefaults#LINGER_SECONDS}:
         * none by default, this window replaces it), and a copy arriving later would meet the replay
         * guard and be challenged although the call was accepted. Costs about 16 bytes per
         * transaction in the window. 0 .. 5 min; with 0, set the stack's {@code LINGER_TIMER} to a
         * few seconds.
         */
        public Builder retransmissionWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("retransmission window must be 0 .. 5 min, got " + window);
            }
            this.retransmissionWindow = window;
            return this;
        }

        /**
         * Whether requests are decided before the stack creates a server transaction for them, so
         * that only accepted requests create SIP state (default true). Every challenge and
         * rejection (401/407, 403, 404, 400, 503 for an engine failure) is then answered
         * statelessly as RFC 3261 8.2.7 describes: no 100 Trying, no retransmission (a
         * retransmitted request is decided again and gets a fresh challenge with the same
         * To-tag), the ACK for it dropped before it reaches the transaction layer or the
         * application, a CANCEL for it answered 481. A flood of unauthenticated INVITEs then
         * cannot fill the transaction table, and the first INVITE of a call costs no transaction.
         *
         * <p>It needs two jain-sip-ri (1.3.0-91) hooks, both set by {@link SipStackDefaults}:
         * {@link StatelessValve} as {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE} (called by the
         * RI's {@code SIPTransactionStack.newSIPServerRequest} before it looks up or creates a
         * transaction) and {@link WireTextParserFactory} as
         * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY} (sees each datagram before the RI parses
         * it: an INVITE without credentials is answered from its bytes). Without them the listener
         * logs a warning once and decides with a server transaction, as with {@code false}: then
         * each challenge and rejection lives in a transaction, is retransmitted over UDP until its
         * ACK, and the ACK is absorbed by that transaction (see {@link #timerI}).
         */
        public Builder statelessRejections(boolean stateless) {
            this.statelessRejections = stateless;
            return this;
        }

        /**
         * Lets {@code responder} answer accepted INVITEs received over UDP straight from their
         * datagram, without a server transaction, dialog or parsed message (see
         * {@link DatagramResponder}); what it declines, and everything over TCP, reaches the
         * delegate as usual. Needs {@link #statelessRejections} (on by default) and its hooks.
         * Default: none, every accepted INVITE goes to the delegate with a server transaction.
         */
        public Builder datagramResponder(DatagramResponder responder) {
            this.datagramResponder = Objects.requireNonNull(responder, "responder");
            return this;
        }

        /**
         * Requests of the authorized methods for which {@code predicate} is true pass to the delegate
         * without authorization (and without a server transaction, like requests of other methods).
         * For requests the application authorizes by other means, e.g. a proxy's in-dialog requests
         * that carry a Record-Route it signed when it forwarded the dialog's authorized INVITE. The
         * predicate sees the parsed request before any decision; it runs for every request of the
         * authorized methods that is not decided from its datagram (those are outside a dialog), so
         * it must be cheap, thread-safe, and true only for what the application checks itself.
         * Default: none, every request of the authorized methods is authorized.
         */
        public Builder skipAuthorizationWhen(Predicate<Request> predicate) {
            this.skip = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** @throws IllegalStateException when the default factories cannot be created */
        public AuthorizingSipListener build() {
            if (datagramResponder != null && !statelessRejections) {
                throw new IllegalStateException("a datagram responder needs stateless rejections");
            }
            if (messageFactory == null) {
                try {
                    messageFactory = SipFactory.getInstance().createMessageFactory();
                    headerFactory = SipFactory.getInstance().createHeaderFactory();
                } catch (PeerUnavailableException e) {
                    throw new IllegalStateException("JAIN-SIP factories unavailable", e);
                }
            }
            return new AuthorizingSipListener(this);
        }
    }
}
