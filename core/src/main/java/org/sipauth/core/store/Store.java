package org.sipauth.core.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Sid;

/**
 * The source of truth for provisioned resources. Implementations are thread-safe.
 *
 * <p>The read side below is what the authorization engine uses; the provisioning write side
 * follows. Every successful mutation is published to {@link #subscribe subscribers}
 * synchronously, after it is durable and before the mutating call returns.
 */
public interface Store extends AutoCloseable {

    // ---- engine read side -------------------------------------------------------------------

    /** Every trunk and SIP domain with its mapped credential lists (to build the host index). */
    List<AuthTarget> authTargets();

    /** The trunk or domain with this SID, or empty when it no longer exists. */
    Optional<AuthTarget> authTarget(Sid targetSid);

    /** All credentials of a credential list (any account), empty when the list does not exist. */
    List<Credential> credentialsOf(Sid credentialListSid);

    /** Registers a listener for every committed mutation; returns a handle that unsubscribes. */
    AutoCloseable subscribe(Consumer<ChangeEvent> listener);

    @Override
    void close();
}
