package com.couponrush.issuance.line;

import com.couponrush.web.ErrorCode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The line as a direct issuance must respect it: a batch that holds a coupon's row lock asks whether places of that
 * coupon are waiting, and if so its requests take places at the end of the line, in the batch's own transaction,
 * instead of overtaking the places. The line is locked after the coupon row, the order its decider takes them in,
 * and only for a coupon whose row says it has a line ({@code coupon.line_opened}): the line is opened under the
 * coupon row's lock, so a batch holding that lock sees the flag and the line together.
 */
public interface LineAtTheCouponLock {

    /** A user's answer from the line: a place (waiting or decided), or why the user cannot have one. */
    record Answer(LineDtos.@Nullable PlaceResponse place, @Nullable ErrorCode refusal) {
    }

    /** What {@link #lock} found. */
    enum State {
        /** The coupon never had a line. */
        NO_LINE,
        /** Every place is decided. */
        NOTHING_WAITING,
        PLACES_WAITING
    }

    /**
     * Locks the coupon's line row until the caller's transaction ends and tells whether places are waiting: one
     * indexed read, and nothing else when the coupon has no line.
     */
    State lock(long couponId);

    /**
     * After {@link #lock} found {@link State#NOTHING_WAITING}, in the same transaction: the (decided) places these
     * users hold, in one query; users without a place are absent.
     */
    Map<Long, Answer> placesHeld(long couponId, Collection<Long> userIds);

    /**
     * After {@link #lock} found {@link State#PLACES_WAITING}, in the same transaction: a place at the end of the line for each user
     * without one, the place already held for the others, or the refusal of a join. Written with the caller's
     * transaction: nothing is kept in memory before it commits.
     */
    Map<Long, Answer> placeAtTheEnd(long couponId, List<Long> userIds);
}
