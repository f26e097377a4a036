-- sipauth schema, version 4: origination URLs, where authorized calls to a trunk or SIP domain go
-- in proxy and redirect mode (Twilio's trunk OriginationUrls; on SIP domains a sipauth extension).
-- One table serves both kinds of target. The foreign key includes account_sid, so a URL can only
-- belong to a target of its own account; deleting a target deletes its URLs first (JdbcStore), one
-- change event each.

CREATE TABLE origination_urls (
    sid                 VARCHAR(34)  NOT NULL,
    account_sid         VARCHAR(34)  NOT NULL,
    target_sid          VARCHAR(34)  NOT NULL,
    friendly_name       VARCHAR(255) NOT NULL,
    sip_url             VARCHAR(512) NOT NULL,
    priority            INTEGER      NOT NULL,
    weight              INTEGER      NOT NULL,
    enabled             BOOLEAN      NOT NULL,
    date_created        BIGINT       NOT NULL,
    date_updated        BIGINT       NOT NULL,
    CONSTRAINT origination_urls_pkey PRIMARY KEY (sid),
    CONSTRAINT origination_urls_target_fkey FOREIGN KEY (target_sid, account_sid)
        REFERENCES auth_targets (sid, account_sid)
);
CREATE INDEX origination_urls_order_idx ON origination_urls (target_sid, date_created, sid);
