-- Runs unchanged on H2, PostgreSQL and MariaDB/MySQL: ${identity} and ${timestamp} are filled in per vendor.
-- The database guards its own invariants so that no bug above it can over-issue.

CREATE TABLE users (
    id          ${identity} PRIMARY KEY,
    email       VARCHAR(255) NOT NULL,
    password    VARCHAR(100) NOT NULL,
    nickname    VARCHAR(50)  NOT NULL,
    address     VARCHAR(255),
    role        VARCHAR(20)  NOT NULL,
    created_at  ${timestamp} NOT NULL,
    modified_at ${timestamp} NOT NULL,
    CONSTRAINT uk_users_email UNIQUE (email),
    CONSTRAINT ck_users_role CHECK (role IN ('USER', 'ADMIN'))
);

CREATE TABLE coupon (
    id              ${identity} PRIMARY KEY,
    name            VARCHAR(100) NOT NULL,
    description     VARCHAR(500),
    discount_amount INT          NOT NULL,
    quantity        INT          NOT NULL,
    issued_count    INT          NOT NULL,
    per_user_limit  INT          NOT NULL,
    start_date      ${timestamp} NOT NULL,
    end_date        ${timestamp} NOT NULL,
    created_at      ${timestamp} NOT NULL,
    modified_at     ${timestamp} NOT NULL,
    CONSTRAINT ck_coupon_quantity CHECK (quantity >= 0),
    CONSTRAINT ck_coupon_issued_within_quantity CHECK (issued_count >= 0 AND issued_count <= quantity),
    CONSTRAINT ck_coupon_discount CHECK (discount_amount > 0),
    CONSTRAINT ck_coupon_per_user_limit CHECK (per_user_limit >= 0),
    CONSTRAINT ck_coupon_window CHECK (end_date > start_date)
);

CREATE TABLE user_coupon (
    id              ${identity} PRIMARY KEY,
    user_id         BIGINT       NOT NULL,
    coupon_id       BIGINT       NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    idempotency_key VARCHAR(100),
    created_at      ${timestamp} NOT NULL,
    modified_at     ${timestamp} NOT NULL,
    CONSTRAINT fk_user_coupon_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_user_coupon_coupon FOREIGN KEY (coupon_id) REFERENCES coupon (id),
    CONSTRAINT uk_user_coupon_idempotency UNIQUE (user_id, idempotency_key),
    CONSTRAINT ck_user_coupon_status CHECK (status IN ('ISSUED', 'USED'))
);

CREATE INDEX ix_user_coupon_coupon_user ON user_coupon (coupon_id, user_id);
