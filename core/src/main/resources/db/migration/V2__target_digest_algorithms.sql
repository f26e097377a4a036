-- sipauth schema, version 2: a trunk's or SIP domain's own digest algorithm offer (a sipauth
-- extension of Twilio's resources). Both kinds live in auth_targets, so one column serves both.
-- The algorithm tokens, comma-separated, in the order challenges offer them (e.g. 'SHA-256,MD5');
-- NULL, which every existing row gets, means the engine's server-wide offer.

ALTER TABLE auth_targets ADD COLUMN digest_algorithms VARCHAR(128);
