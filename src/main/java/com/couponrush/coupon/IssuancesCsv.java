package com.couponrush.coupon;

/** One CSV line per issued coupon (RFC 4180), safe to open in a spreadsheet. */
final class IssuancesCsv {

    static final String HEADER = "userCouponId,userId,email,nickname,issuedAt,status\r\n";

    private IssuancesCsv() {
    }

    static String line(CouponDtos.IssuanceResponse row) {
        return row.userCouponId() + "," + row.userId() + "," + field(row.email()) + "," + field(row.nickname()) + ","
                + row.issuedAt() + "," + row.status() + "\r\n";
    }

    /**
     * Quotes what would break the row, and disarms what a spreadsheet would run as a formula: a nickname is
     * chosen by the user, and "=HYPERLINK(...)" must reach the operator as text.
     */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
