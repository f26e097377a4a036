-- sipauth schema, version 3: IP access control lists (Twilio's SIP IpAccessControlLists), their
-- entries (IpAddresses) and their mappings to trunks (TRUNK) and SIP domains' calls (DOMAIN_CALLS).
-- New tables only: existing rows are untouched. Conventions as in V1 (canonical SIDs, BIGINT epoch
-- nanoseconds, foreign keys that include account_sid).

CREATE TABLE ip_access_control_lists (
    sid                 VARCHAR(34)  NOT NULL,
    account_sid         VARCHAR(34)  NOT NULL,
    friendly_name       VARCHAR(255) NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT ip_access_control_lists_pkey PRIMARY KEY (sid),
    CONSTRAINT ip_access_control_lists_sid_account_key UNIQUE (sid, account_sid),
    CONSTRAINT ip_access_control_lists_account_fkey FOREIGN KEY (account_sid) REFERENCES accounts (sid)
);
CREATE INDEX ip_access_control_lists_order_idx ON ip_access_control_lists (account_sid, date_created, sid);

-- ip_address as the client wrote it (validated IPv4 or IPv6 text); the engine parses it when it
-- builds its ranges.
CREATE TABLE ip_addresses (
    sid                        VARCHAR(34)  NOT NULL,
    account_sid                VARCHAR(34)  NOT NULL,
    ip_access_control_list_sid VARCHAR(34)  NOT NULL,
    friendly_name              VARCHAR(255) NOT NULL,
    ip_address                 VARCHAR(64)  NOT NULL,
    cidr_prefix_length         INTEGER      NOT NULL,
    date_created               BIGINT       NOT NULL,
    date_updated               BIGINT       NOT NULL,
    CONSTRAINT ip_addresses_pkey PRIMARY KEY (sid),
    CONSTRAINT ip_addresses_prefix_check CHECK (cidr_prefix_length BETWEEN 0 AND 128),
    CONSTRAINT ip_addresses_list_fkey FOREIGN KEY (ip_access_control_list_sid, account_sid)
        REFERENCES ip_access_control_lists (sid, account_sid)
);
CREATE INDEX ip_addresses_order_idx ON ip_addresses (ip_access_control_list_sid, date_created, sid);

CREATE TABLE ip_access_control_list_mappings (
    target_sid                 VARCHAR(34)  NOT NULL,
    kind                       VARCHAR(32)  NOT NULL,
    ip_access_control_list_sid VARCHAR(34)  NOT NULL,
    account_sid                VARCHAR(34)  NOT NULL,
    date_created               BIGINT       NOT NULL,
    date_updated               BIGINT       NOT NULL,
    CONSTRAINT ip_access_control_list_mappings_pkey PRIMARY KEY (target_sid, kind, ip_access_control_list_sid),
    CONSTRAINT ip_access_control_list_mappings_kind_check CHECK (kind IN ('TRUNK', 'DOMAIN_CALLS')),
    CONSTRAINT ip_access_control_list_mappings_target_fkey FOREIGN KEY (target_sid, account_sid)
        REFERENCES auth_targets (sid, account_sid),
    CONSTRAINT ip_access_control_list_mappings_list_fkey FOREIGN KEY (ip_access_control_list_sid, account_sid)
        REFERENCES ip_access_control_lists (sid, account_sid)
);
CREATE INDEX ip_access_control_list_mappings_order_idx
    ON ip_access_control_list_mappings (target_sid, kind, date_created, ip_access_control_list_sid);
CREATE INDEX ip_access_control_list_mappings_list_idx ON ip_access_control_list_mappings (ip_access_control_list_sid);
