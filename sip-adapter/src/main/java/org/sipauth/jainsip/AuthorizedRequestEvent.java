package org.sipauth.jainsip;

import gov.nist.javax.sip.RequestEventExt;
import java.util.Objects;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.sipauth.core.authz.AuthDecision;

/**
 * The event an accepted request reaches the application with: the usual {@link javax.sip.RequestEvent}
 * (with its server transaction) plus the decision that accepted it, so the application can act on
 * who was authorized for which trunk or domain (e.g. route the call to that target's destination).
 */
public final class AuthorizedRequestEvent extends RequestEventExt {

    private static final long serialVersionUID = 1L;

    private final transient AuthDecision.Allowed decision;

    AuthorizedRequestEvent(Object source, ServerTransaction transaction, Dialog dialog, Request request,
                           AuthDecision.Allowed decision) {
        super(source, transaction, dialog, request);
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** The decision that accepted the request: the authenticated username, its list and target. */
    public AuthDecision.Allowed decision() {
        return decision;
    }
}
