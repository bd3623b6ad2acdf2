package com.couponrush.issuance.line;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How newcomers get their numbers: consecutive from the line's next number, in the order they asked. */
final class Numbering {

    private Numbering() {
    }

    /**
     * @param nextPlace the line's next number
     * @param asking    users in the order they asked (a user may appear more than once)
     * @param placed    users not to number: those who already hold a place (they keep it) or were refused one
     * @return each newcomer's number, in number order
     */
    static Map<Long, Long> assign(long nextPlace, List<Long> asking, Set<Long> placed) {
        Map<Long, Long> numbers = new LinkedHashMap<>();
        long next = nextPlace;
        for (Long user : asking) {
            if (!placed.contains(user) && !numbers.containsKey(user)) {
                numbers.put(user, next++);
            }
        }
        return numbers;
    }
}
