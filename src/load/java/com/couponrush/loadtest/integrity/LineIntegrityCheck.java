package com.couponrush.loadtest.integrity;

import com.couponrush.loadtest.fixture.CouponRushApi;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The waiting line's promises checked after a crowd joined one coupon's line (docs/line.md): from the database,
 * the places are numbered 1 … N without a gap, none still waits, the issued rows follow place order (no row of a
 * later place was inserted before one of an earlier place), exactly min(stock, people) rows were issued and the
 * counter moved by as many; and from every person's answers, each heard the outcome the database holds: the
 * places within the stock ISSUED with their own row's id, everyone else REFUSED COUPON_SOLD_OUT (at the join,
 * without a place, or as a place behind the stock), nobody anything else.
 */
public final class LineIntegrityCheck {

    private static final String ISSUED = "ISSUED";
    private static final String REFUSED = "REFUSED";
    private static final String SOLD_OUT = "COUPON_SOLD_OUT";

    private final CouponRushApi api;
    private final JdbcTarget jdbc;

    public LineIntegrityCheck(CouponRushApi api, JdbcTarget jdbc) {
        this.api = api;
        this.jdbc = jdbc;
    }

    /**
     * What one person was last told about the coupon's line.
     *
     * @param email        the person's account, by which the database's place and row are found
     * @param joinStatus   the join's HTTP status (202, 200, 409, …); 0 when it got no answer
     * @param place        the place's number as answered; null without a place
     * @param status       WAITING, ISSUED or REFUSED as last answered; for a join refused without a place, REFUSED
     * @param reason       the refusal's reason (also of a join refused without a place)
     * @param userCouponId the issued row's id as answered
     */
    public record Answer(String email, int joinStatus, Long place, String status, String reason,
                         Long userCouponId) {

        boolean issued() {
            return ISSUED.equals(status);
        }
    }

    /**
     * @param people        persons whose answers were checked; 0 when only the database was (a crowd driven by wrk)
     * @param places        places given, {@code next_place - 1}
     * @param stock         the coupon's stock when the crowd came (remaining at the baseline)
     * @param issuedRows    rows added to user_coupon for the coupon
     * @param inversions    pairs of issued places whose rows were inserted in the opposite order
     */
    public record Verdict(boolean pass, long couponId, long people, long places, long stock, long expectedIssued,
                          long issuedRows, long issuedPlaces, long refusedPlaces, long stillWaiting, long gaps,
                          long inversions, long counterChange, long remainingDrop, Map<String, Long> answers,
                          List<String> violations) {

        public String word() {
            return pass ? "PASS" : "FAIL";
        }

        public void print(PrintStream out) {
            out.println();
            out.println("  █ LINE INTEGRITY (coupon " + couponId + "): " + word());
            out.println();
            out.printf(Locale.ROOT, "    places given........................: %d (numbered 1..%d, gaps %d, still waiting %d)%n",
                    places, places, gaps, stillWaiting);
            out.printf(Locale.ROOT, "    stock when the crowd came...........: %d; people %s%n", stock,
                    people == 0 ? "not checked (no answers)" : Long.toString(people));
            out.printf(Locale.ROOT, "    issued (expected min(stock, N) = %d).: rows %d, ISSUED places %d, REFUSED places %d%n",
                    expectedIssued, issuedRows, issuedPlaces, refusedPlaces);
            out.printf(Locale.ROOT, "    issuance order against place order..: %d inversions%n", inversions);
            out.printf(Locale.ROOT, "    counter change / drop in remaining..: %d / %d%n", counterChange, remainingDrop);
            if (!answers.isEmpty()) {
                out.printf(Locale.ROOT, "    outcomes heard......................: %s%n", answers);
            }
            violations.stream().limit(20).forEach(violation -> out.println("    ✗ " + violation));
            if (violations.size() > 20) {
                out.println("    ✗ … and " + (violations.size() - 20) + " more");
            }
            out.println();
        }
    }

    private record StoredPlace(long number, String email, String status, String reason, Long userCouponId) {
    }

    /**
     * @param before  the coupon and its rows before the crowd came ({@link IntegrityCheck#baseline})
     * @param answers every person's last answer, or empty to check the database alone
     */
    public Verdict verify(IntegrityCheck.Baseline before, Optional<List<Answer>> answers) {
        long couponId = before.coupon().couponId();
        CouponRushApi.CouponState after = api.coupon(couponId);
        List<String> violations = new ArrayList<>();
        List<StoredPlace> places = new ArrayList<>();
        Map<String, Long> rowOf = new HashMap<>();
        Map<Long, String> holderOfRow = new HashMap<>();
        long nextPlace;
        try (Connection connection = IntegrityCheck.connect(jdbc)) {
            nextPlace = single(connection, "SELECT COALESCE(MAX(next_place), 1) FROM waiting_line WHERE coupon_id = ?",
                    couponId);
            try (PreparedStatement statement = connection.prepareStatement("SELECT p.place_no, u.email, p.status,"
                    + " p.reason, p.user_coupon_id FROM waiting_place p JOIN users u ON u.id = p.user_id"
                    + " WHERE p.coupon_id = ? ORDER BY p.place_no")) {
                statement.setLong(1, couponId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long row = rows.getLong(5);
                        Long userCouponId = rows.wasNull() ? null : row;
                        places.add(new StoredPlace(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), userCouponId));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT c.id, u.email FROM user_coupon c"
                    + " JOIN users u ON u.id = c.user_id WHERE c.coupon_id = ?")) {
                statement.setLong(1, couponId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        rowOf.put(rows.getString(2), rows.getLong(1));
                        holderOfRow.put(rows.getLong(1), rows.getString(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("line integrity query failed on " + jdbc.url() + ": " + e.getMessage(), e);
        }

        long stock = before.coupon().remaining();
        long given = nextPlace - 1;
        long people = answers.map(List::size).orElse(0);
        long expectedIssued = Math.min(stock, answers.isPresent() ? people : given);
        long issuedRows = rowOf.size() - before.rows().orElse(0L);
        long counterChange = after.issuedCount() - before.coupon().issuedCount();
        long remainingDrop = before.coupon().remaining() - after.remaining();

        long gaps = 0;
        long waiting = 0;
        long issuedPlaces = 0;
        long refusedPlaces = 0;
        List<Long> issuedInPlaceOrder = new ArrayList<>();
        Map<String, StoredPlace> placeOf = new HashMap<>();
        for (int i = 0; i < places.size(); i++) {
            StoredPlace place = places.get(i);
            placeOf.put(place.email(), place);
            if (place.number() != i + 1) {
                gaps++;
            }
            boolean withinStock = place.number() <= stock;
            switch (place.status()) {
                case "WAITING" -> waiting++;
                case ISSUED -> {
                    issuedPlaces++;
                    issuedInPlaceOrder.add(place.userCouponId());
                    if (!withinStock) {
                        violations.add("place " + place.number() + " was issued behind the stock of " + stock);
                    }
                    if (place.userCouponId() == null || !place.email().equals(holderOfRow.get(place.userCouponId()))) {
                        violations.add("place " + place.number() + " is ISSUED with row " + place.userCouponId()
                                + ", which is not its holder's");
                    }
                }
                default -> {
                    refusedPlaces++;
                    if (withinStock || !SOLD_OUT.equals(place.reason())) {
                        violations.add("place " + place.number() + " (stock " + stock + ") was refused "
                                + place.reason());
                    }
                }
            }
        }
        long inversions = inversions(issuedInPlaceOrder);

        if (places.size() != given) {
            violations.add(places.size() + " places are stored but the line gave " + given);
        }
        if (gaps > 0) {
            violations.add(gaps + " places are out of the sequence 1.." + places.size());
        }
        if (waiting > 0) {
            violations.add(waiting + " places still wait");
        }
        if (inversions > 0) {
            violations.add(inversions + " pairs of places were issued against place order");
        }
        if (issuedRows != expectedIssued) {
            violations.add(issuedRows + " rows were issued; min(stock " + stock + ", "
                    + (answers.isPresent() ? "people " + people : "places " + given) + ") is " + expectedIssued);
        }
        if (issuedPlaces != issuedRows) {
            violations.add(issuedPlaces + " places are ISSUED but " + issuedRows + " rows were added");
        }
        if (counterChange != issuedRows || remainingDrop != issuedRows) {
            violations.add("the counter moved by " + counterChange + " and remaining dropped by " + remainingDrop
                    + " for " + issuedRows + " rows");
        }
        rowOf.forEach((email, row) -> {
            StoredPlace place = placeOf.get(email);
            if (before.rows().orElse(0L) == 0 && (place == null || !row.equals(place.userCouponId()))) {
                violations.add("row " + row + " of " + email + " belongs to no ISSUED place");
            }
        });

        Map<String, Long> heard = new TreeMap<>();
        answers.ifPresent(all -> {
            for (Answer answer : all) {
                String outcome = answer.status() + (answer.reason() == null ? "" : " " + answer.reason())
                        + (answer.place() == null && answer.joinStatus() != 0 ? " at the join" : "");
                heard.merge(outcome, 1L, Long::sum);
                StoredPlace place = placeOf.get(answer.email());
                checkAnswer(answer, place, stock, violations);
            }
            long toldIssued = all.stream().filter(Answer::issued).count();
            if (toldIssued != expectedIssued) {
                violations.add(toldIssued + " people were told ISSUED; min(stock, people) is " + expectedIssued);
            }
            Set<String> emails = new HashSet<>();
            all.forEach(answer -> emails.add(answer.email()));
            long strangers = places.stream().filter(place -> !emails.contains(place.email())).count();
            if (strangers > 0) {
                violations.add(strangers + " places are held by nobody of the crowd");
            }
        });
        return new Verdict(violations.isEmpty(), couponId, people, given, stock, expectedIssued, issuedRows,
                issuedPlaces, refusedPlaces, waiting, gaps, inversions, counterChange, remainingDrop, heard,
                List.copyOf(violations));
    }

    private static void checkAnswer(Answer answer, StoredPlace place, long stock, List<String> violations) {
        String who = answer.email();
        if (place == null) {
            if (answer.place() != null) {
                violations.add(who + " was told place " + answer.place() + ", which is not stored");
            } else if (!(answer.joinStatus() == 409 && SOLD_OUT.equals(answer.reason()))) {
                violations.add(who + " has no place and was told " + answer.joinStatus() + " " + answer.status()
                        + " " + answer.reason());
            }
            return;
        }
        if (answer.place() == null || answer.place() != place.number()) {
            violations.add(who + " holds place " + place.number() + " but was told " + answer.place());
            return;
        }
        boolean right = place.number() <= stock
                ? answer.issued() && place.userCouponId() != null && place.userCouponId().equals(answer.userCouponId())
                : REFUSED.equals(answer.status()) && SOLD_OUT.equals(answer.reason());
        if (!right || !place.status().equals(answer.status())) {
            violations.add(who + " at place " + place.number() + " (stock " + stock + ") was told " + answer.status()
                    + " " + answer.reason() + " " + answer.userCouponId() + "; stored: " + place.status() + " "
                    + place.reason() + " " + place.userCouponId());
        }
    }

    /** Pairs out of order, by merge sort: a crowd's line has far too many places for the pairs one by one. */
    static long inversions(List<Long> values) {
        long[] array = values.stream().mapToLong(value -> value == null ? Long.MAX_VALUE : value).toArray();
        return sortCounting(array, new long[array.length], 0, array.length);
    }

    private static long sortCounting(long[] a, long[] scratch, int from, int to) {
        if (to - from < 2) {
            return 0;
        }
        int middle = (from + to) >>> 1;
        long count = sortCounting(a, scratch, from, middle) + sortCounting(a, scratch, middle, to);
        int left = from;
        int right = middle;
        int out = from;
        while (left < middle && right < to) {
            if (a[left] <= a[right]) {
                scratch[out++] = a[left++];
            } else {
                count += middle - left;
                scratch[out++] = a[right++];
            }
        }
        while (left < middle) {
            scratch[out++] = a[left++];
        }
        while (right < to) {
            scratch[out++] = a[right++];
        }
        System.arraycopy(scratch, from, a, from, to - from);
        return count;
    }

    private static long single(Connection connection, String sql, long parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
