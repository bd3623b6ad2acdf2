-- Whether a coupon ever had a waiting line (docs/line.md). Runs unchanged on H2, PostgreSQL and MariaDB/MySQL
-- like V1. Whoever opens a line sets it in the same transaction, under the coupon row's lock, so a batch holding
-- that lock sees the flag and the line together or neither; a batch that reads FALSE leaves the line's row alone.

ALTER TABLE coupon ADD COLUMN line_opened BOOLEAN DEFAULT FALSE NOT NULL;

UPDATE coupon SET line_opened = TRUE WHERE id IN (SELECT coupon_id FROM waiting_line);
