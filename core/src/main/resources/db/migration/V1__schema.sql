-- sipauth schema, version 1. Runs unchanged on PostgreSQL 15 and on H2 2.3 (MODE=PostgreSQL).
-- SIDs are stored in canonical form (prefix + 32 lowercase hex); domain names lowercase.
-- Timestamps are BIGINT epoch nanoseconds (UTC): an exact round trip of java.time.Instant on both
-- databases, and plain integers for the (date_created, sid) keyset order of every list.
-- Foreign keys include account_sid, so a child can only reference a parent of its own account.

CREATE TABLE accounts (
    sid                 VARCHAR(34)  NOT NULL,
    friendly_name       VARCHAR(255) NOT NULL,
    auth_token_sha256   VARCHAR(64)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (sid)
);

-- Trunks and SIP domains share this table: one unique constraint makes a domain name unique
-- across both. The kind-specific columns live in trunks / sip_domains (same sid).
CREATE TABLE auth_targets (
    sid                 VARCHAR(34)  NOT NULL,
    kind                VARCHAR(2)   NOT NULL,
    account_sid         VARCHAR(34)  NOT NULL,
    friendly_name       VARCHAR(255),
    domain_name         VARCHAR(255),
    secure              BOOLEAN      NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT auth_targets_pkey PRIMARY KEY (sid),
    CONSTRAINT auth_targets_kind_check CHECK (kind IN ('TK', 'SD')),
    CONSTRAINT auth_targets_domain_name_key UNIQUE (domain_name),
    CONSTRAINT auth_targets_sid_account_key UNIQUE (sid, account_sid),
    CONSTRAINT auth_targets_account_fkey FOREIGN KEY (account_sid) REFERENCES accounts (sid)
);
CREATE INDEX auth_targets_order_idx ON auth_targets (account_sid, kind, date_created, sid);

CREATE TABLE trunks (
    sid                       VARCHAR(34)  NOT NULL,
    disaster_recovery_url     VARCHAR(2048),
    disaster_recovery_method  VARCHAR(8),
    transfer_mode             VARCHAR(32)  NOT NULL,
    cnam_lookup_enabled       BOOLEAN      NOT NULL,
    transfer_caller_id        VARCHAR(32)  NOT NULL,
    symmetric_rtp_enabled     BOOLEAN      NOT NULL,
    CONSTRAINT trunks_pkey PRIMARY KEY (sid),
    CONSTRAINT trunks_target_fkey FOREIGN KEY (sid) REFERENCES auth_targets (sid) ON DELETE CASCADE
);

CREATE TABLE sip_domains (
    sid                           VARCHAR(34)  NOT NULL,
    voice_url                     VARCHAR(2048),
    voice_method                  VARCHAR(8)   NOT NULL,
    voice_fallback_url            VARCHAR(2048),
    voice_fallback_method         VARCHAR(8)   NOT NULL,
    voice_status_callback_url     VARCHAR(2048),
    voice_status_callback_method  VARCHAR(8)   NOT NULL,
    sip_registration              BOOLEAN      NOT NULL,
    emergency_calling_enabled     BOOLEAN      NOT NULL,
    byoc_trunk_sid                VARCHAR(64),
    emergency_caller_sid          VARCHAR(64),
    CONSTRAINT sip_domains_pkey PRIMARY KEY (sid),
    CONSTRAINT sip_domains_target_fkey FOREIGN KEY (sid) REFERENCES auth_targets (sid) ON DELETE CASCADE
);

CREATE TABLE credential_lists (
    sid                 VARCHAR(34)  NOT NULL,
    account_sid         VARCHAR(34)  NOT NULL,
    friendly_name       VARCHAR(255) NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT credential_lists_pkey PRIMARY KEY (sid),
    CONSTRAINT credential_lists_friendly_name_key UNIQUE (account_sid, friendly_name),
    CONSTRAINT credential_lists_sid_account_key UNIQUE (sid, account_sid),
    CONSTRAINT credential_lists_account_fkey FOREIGN KEY (account_sid) REFERENCES accounts (sid)
);
CREATE INDEX credential_lists_order_idx ON credential_lists (account_sid, date_created, sid);

CREATE TABLE credentials (
    sid                 VARCHAR(34)  NOT NULL,
    account_sid         VARCHAR(34)  NOT NULL,
    credential_list_sid VARCHAR(34)  NOT NULL,
    username            VARCHAR(255) NOT NULL,
    realm               VARCHAR(255) NOT NULL,
    ha1_md5             VARCHAR(32)  NOT NULL,
    ha1_sha256          VARCHAR(64)  NOT NULL,
    ha1_sha512_256      VARCHAR(64)  NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT credentials_pkey PRIMARY KEY (sid),
    CONSTRAINT credentials_username_key UNIQUE (credential_list_sid, username),
    CONSTRAINT credentials_list_fkey FOREIGN KEY (credential_list_sid, account_sid)
        REFERENCES credential_lists (sid, account_sid)
);
CREATE INDEX credentials_order_idx ON credentials (credential_list_sid, date_created, sid);

-- A list mapped to a trunk (TRUNK) or a domain (DOMAIN_CALLS, DOMAIN_REGISTRATIONS); at most once
-- per (target, kind, list). The mapping's friendly name is read from its list.
CREATE TABLE credential_list_mappings (
    target_sid          VARCHAR(34)  NOT NULL,
    kind                VARCHAR(32)  NOT NULL,
    credential_list_sid VARCHAR(34)  NOT NULL,
    account_sid         VARCHAR(34)  NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT credential_list_mappings_pkey PRIMARY KEY (target_sid, kind, credential_list_sid),
    CONSTRAINT credential_list_mappings_kind_check CHECK (kind IN ('TRUNK', 'DOMAIN_CALLS', 'DOMAIN_REGISTRATIONS')),
    CONSTRAINT credential_list_mappings_target_fkey FOREIGN KEY (target_sid, account_sid)
        REFERENCES auth_targets (sid, account_sid),
    CONSTRAINT credential_list_mappings_list_fkey FOREIGN KEY (credential_list_sid, account_sid)
        REFERENCES credential_lists (sid, account_sid)
);
CREATE INDEX credential_list_mappings_order_idx ON credential_list_mappings (target_sid, kind, date_created, credential_list_sid);
CREATE INDEX credential_list_mappings_list_idx ON credential_list_mappings (credential_list_sid);
