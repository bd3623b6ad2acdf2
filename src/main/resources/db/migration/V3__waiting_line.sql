-- The waiting line (docs/line.md). Runs unchanged on H2, PostgreSQL and MariaDB/MySQL like V1.
-- One waiting_line row per coupon numbers its places: places 1 .. next_place - 1 are given, places
-- 1 .. decided_through are decided, the ones between still wait. Both only grow, under the row's lock.
-- waiting_place refers to its line, not to the coupon: a joiner holds the line's lock while inserting, and a key
-- check on the coupon row would wait behind the decider, which holds the coupon lock and then takes the line's.

CREATE TABLE waiting_line (
    coupon_id       BIGINT NOT NULL,
    next_place      BIGINT NOT NULL,
    decided_through BIGINT NOT NULL,
    CONSTRAINT pk_waiting_line PRIMARY KEY (coupon_id),
    CONSTRAINT fk_waiting_line_coupon FOREIGN KEY (coupon_id) REFERENCES coupon (id),
    CONSTRAINT ck_waiting_line_order CHECK (decided_through >= 0 AND decided_through < next_place)
);

CREATE TABLE waiting_place (
    coupon_id      BIGINT       NOT NULL,
    place_no       BIGINT       NOT NULL,
    user_id        BIGINT       NOT NULL,
    status         VARCHAR(20)  NOT NULL,
    reason         VARCHAR(40),
    user_coupon_id BIGINT,
    created_at     ${timestamp} NOT NULL,
    decided_at     ${timestamp},
    CONSTRAINT pk_waiting_place PRIMARY KEY (coupon_id, place_no),
    CONSTRAINT uk_waiting_place_user UNIQUE (coupon_id, user_id),
    CONSTRAINT fk_waiting_place_line FOREIGN KEY (coupon_id) REFERENCES waiting_line (coupon_id),
    CONSTRAINT fk_waiting_place_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT ck_waiting_place_status CHECK (status IN ('WAITING', 'ISSUED', 'REFUSED'))
);
