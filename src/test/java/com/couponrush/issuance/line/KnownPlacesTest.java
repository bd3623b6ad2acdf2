package com.couponrush.issuance.line;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.web.ErrorCode;
import org.junit.jupiter.api.Test;

class KnownPlacesTest {

    @Test
    void placesBeyondTheBoundAreAnsweredButNotKept() {
        KnownPlaces known = new KnownPlaces(2);
        known.remember(Place.waiting(1, 1, 10));
        known.remember(Place.waiting(1, 2, 11));
        KnownPlaces.Known third = known.remember(Place.waiting(1, 3, 12));

        assertThat(third.place().number()).isEqualTo(3);
        assertThat(known.size()).isEqualTo(2);
        assertThat(known.get(1, 12)).isNull();
        assertThat(known.remember(Place.waiting(1, 1, 10))).as("a kept place is still updated")
                .isSameAs(known.get(1, 10));
    }

    @Test
    void aDecidedPlaceStaysDecidedWhicheverReadingArrivesLast() {
        KnownPlaces known = new KnownPlaces(10);
        known.remember(new Place(1, 1, 10, Place.Status.REFUSED, ErrorCode.COUPON_SOLD_OUT, null));
        known.remember(Place.waiting(1, 1, 10));

        assertThat(known.get(1, 10).place().status()).isEqualTo(Place.Status.REFUSED);
    }
}
