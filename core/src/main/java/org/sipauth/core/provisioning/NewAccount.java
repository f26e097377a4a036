package org.sipauth.core.provisioning;

import java.util.Objects;
import org.sipauth.core.model.Account;

/**
 * A freshly created account and its auth token. The token is shown once: only its hash is kept.
 */
public record NewAccount(Account account, String authToken) {
    public NewAccount {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(authToken, "authToken");
    }

    @Override
    public String toString() {
        return "NewAccount[account=" + account + ", authToken=redacted]";
    }
}
