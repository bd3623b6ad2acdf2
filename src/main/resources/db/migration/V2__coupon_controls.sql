-- Operator controls (docs/engine.md, "Changes to a running coupon"). Runs unchanged on H2, PostgreSQL and
-- MariaDB/MySQL like V1. A paused coupon refuses issuance until resumed; every change is kept in coupon_change.

ALTER TABLE coupon ADD COLUMN paused BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE coupon_change (
    id         ${identity} PRIMARY KEY,
    coupon_id  BIGINT        NOT NULL,
    changed_by BIGINT        NOT NULL,
    changed_at ${timestamp}  NOT NULL,
    action     VARCHAR(20)   NOT NULL,
    old_value  VARCHAR(4000),
    new_value  VARCHAR(4000),
    CONSTRAINT fk_coupon_change_coupon FOREIGN KEY (coupon_id) REFERENCES coupon (id),
    CONSTRAINT fk_coupon_change_user FOREIGN KEY (changed_by) REFERENCES users (id)
);

CREATE INDEX ix_coupon_change_coupon ON coupon_change (coupon_id, id);
