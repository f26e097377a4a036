-- sipauth schema, version 1. Runs unchanged on PostgreSQL 15 and on H2 2.3 (MODE=PostgreSQL).
-- SIDs are the canonical 34-character form (prefix + 32 lowercase hex).
-- Timestamps are BIGINT epoch nanoseconds (UTC): exact round trip of java.time.Instant on both databases.

CREATE TABLE accounts (
    sid             VARCHAR(34)  NOT NULL PRIMARY KEY,
    friendly_name   VARCHAR(64)  NOT NULL,
    date_created    BIGINT       NOT NULL,
    date_updated    BIGINT       NOT NULL
);

-- Trunks and SIP domains share one table so that a domain name is unique across both.
CREATE TABLE auth_targets (
    sid             VARCHAR(34)  NOT NULL PRIMARY KEY,
    kind            VARCHAR(2)   NOT NULL CHECK (kind IN ('TK', 'SD')),
    account_sid     VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    friendly_name   VARCHAR(64),
    domain_name     VARCHAR(255),           -- lowercase; NULL for a trunk without one
    date_created    BIGINT       NOT NULL,
    date_updated    BIGINT       NOT NULL,
    CONSTRAINT auth_targets_domain_name_key UNIQUE (domain_name)
);
CREATE INDEX auth_targets_account_idx ON auth_targets (account_sid, kind, date_created, sid);

CREATE TABLE credential_lists (
    sid             VARCHAR(34)  NOT NULL PRIMARY KEY,
    account_sid     VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    friendly_name   VARCHAR(64)  NOT NULL,
    date_created    BIGINT       NOT NULL,
    date_updated    BIGINT       NOT NULL,
    CONSTRAINT credential_lists_friendly_name_key UNIQUE (account_sid, friendly_name)
);
CREATE INDEX credential_lists_account_idx ON credential_lists (account_sid, date_created, sid);

CREATE TABLE credentials (
    sid                 VARCHAR(34)  NOT NULL PRIMARY KEY,
    account_sid         VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    credential_list_sid VARCHAR(34)  NOT NULL REFERENCES credential_lists (sid),
    username            VARCHAR(32)  NOT NULL,
    realm               VARCHAR(255) NOT NULL,
    ha1_md5             VARCHAR(32)  NOT NULL,
    ha1_sha256          VARCHAR(64)  NOT NULL,
    ha1_sha512_256      VARCHAR(64)  NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT credentials_username_key UNIQUE (credential_list_sid, username)
);
CREATE INDEX credentials_list_idx ON credentials (credential_list_sid, date_created, sid);

CREATE TABLE credential_list_mappings (
    target_sid          VARCHAR(34)  NOT NULL REFERENCES auth_targets (sid),
    kind                VARCHAR(16)  NOT NULL CHECK (kind IN ('CALLS', 'REGISTRATIONS')),
    credential_list_sid VARCHAR(34)  NOT NULL REFERENCES credential_lists (sid),
    account_sid         VARCHAR(34)  NOT NULL REFERENCES accounts (sid),
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT credential_list_mappings_pkey PRIMARY KEY (target_sid, kind, credential_list_sid)
);
CREATE INDEX credential_list_mappings_list_idx ON credential_list_mappings (credential_list_sid);
