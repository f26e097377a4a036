package org.sipauth.core.authz;

/** Which challenge a request gets: a user agent server answers 401, a proxy answers 407. */
public enum Role {
    /** 401 Unauthorized with WWW-Authenticate; credentials come in Authorization. */
    UAS,
    /** 407 Proxy Authentication Required with Proxy-Authenticate; credentials come in Proxy-Authorization. */
    PROXY
}
