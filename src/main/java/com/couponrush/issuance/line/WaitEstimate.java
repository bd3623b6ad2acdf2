package com.couponrush.issuance.line;

/**
 * The estimated wait a place is shown, smoothed so that it does not jump about. A person watching it expects a
 * countdown, so between two updates it runs down with the clock at least:
 * <ul>
 *   <li>better news (the measured estimate is below the previous one minus the time since) is shown at once;</li>
 *   <li>otherwise the previous estimate runs down by the time since, however the rate wavered;</li>
 *   <li>except when the measured estimate reached {@link #RISE} times the previous one (the rate fell by half or
 *       more: a pause, a slow database) or the countdown ran out: then the measured one is shown, and the
 *       countdown starts again from it.</li>
 * </ul>
 */
final class WaitEstimate {

    static final double RISE = 2.0;

    private WaitEstimate() {
    }

    /**
     * @param previous       the estimate last shown for this place, in seconds; NaN if none
     * @param elapsedSeconds time since it was shown
     * @param measured       position divided by the smoothed decision rate, now
     */
    static double next(double previous, double elapsedSeconds, double measured) {
        if (Double.isNaN(previous)) {
            return measured;
        }
        double runDown = previous - elapsedSeconds;
        if (measured <= runDown) {
            return measured;
        }
        if (measured >= previous * RISE || runDown <= 0) {
            return measured;
        }
        return runDown;
    }
}
