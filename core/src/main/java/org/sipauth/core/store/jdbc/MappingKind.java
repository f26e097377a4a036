package org.sipauth.core.store.jdbc;

/** The {@code kind} column of a mapping row: what the mapped list authorizes on its target. */
enum MappingKind {
    /** INVITEs: trunk CredentialLists and domain Auth/Calls (also the legacy domain mappings). */
    CALLS,
    /** REGISTERs: domain Auth/Registrations. */
    REGISTRATIONS
}
