package org.sipauth.core.authz;

/**
 * Benchmarks-only bridge to the engine's package-private lookup (it lives in the engine's package
 * so that core does not have to publish internals). Not an API.
 */
public final class AuthzBenchmarkAccess {

    private AuthzBenchmarkAccess() {
    }

    /** See {@code InviteAuthorizer.ha1Candidates}. */
    public static int ha1Candidates(InviteAuthorizer authorizer, String host, String method, String username, byte[][] out) {
        return authorizer.ha1Candidates(host, method, username, out);
    }
}
