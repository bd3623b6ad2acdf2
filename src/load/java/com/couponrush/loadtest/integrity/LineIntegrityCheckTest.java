package com.couponrush.loadtest.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineIntegrityCheckTest {

    @Test
    void inversionsCountEveryPairOutOfOrder() {
        assertThat(LineIntegrityCheck.inversions(List.of())).isZero();
        assertThat(LineIntegrityCheck.inversions(List.of(1L, 2L, 3L, 7L))).isZero();
        assertThat(LineIntegrityCheck.inversions(List.of(2L, 1L, 3L))).isEqualTo(1);
        assertThat(LineIntegrityCheck.inversions(List.of(4L, 3L, 2L, 1L))).isEqualTo(6);
        List<Long> reversed = new ArrayList<>();
        for (long id = 100_000; id > 0; id--) {
            reversed.add(id);
        }
        assertThat(LineIntegrityCheck.inversions(reversed)).isEqualTo(100_000L * 99_999 / 2);
    }
}
