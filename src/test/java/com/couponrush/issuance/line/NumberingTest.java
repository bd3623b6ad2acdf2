package com.couponrush.issuance.line;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NumberingTest {

    @Test
    void newcomersAreNumberedConsecutivelyFromTheNextNumberInTheOrderTheyAsked() {
        assertThat(Numbering.assign(41, List.of(7L, 3L, 9L), Set.of()))
                .containsExactly(Map.entry(7L, 41L), Map.entry(3L, 42L), Map.entry(9L, 43L));
    }

    @Test
    void aUserWhoAskedTwiceGetsOneNumberAndThoseAlreadyPlacedOrRefusedNone() {
        assertThat(Numbering.assign(1, List.of(5L, 6L, 5L, 8L, 6L, 2L), Set.of(6L, 2L)))
                .containsExactly(Map.entry(5L, 1L), Map.entry(8L, 2L));
    }
}
