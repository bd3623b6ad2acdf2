package com.couponrush.loadtest.report;

import java.util.List;
import java.util.Locale;

/**
 * A two-panel horizontal bar chart as plain SVG, so the report needs no charting library: answers per second,
 * stacked by kind (issued, expected refusals, KO), and the p99 latency. The two ceilings are drawn in grey.
 */
final class Chart {

    private static final int ROW = 30;
    private static final int TOP = 60;
    private static final int LABEL = 150;
    private static final int PANEL = 330;
    private static final int GAP = 40;
    private static final String ISSUED = "#1f77b4";
    private static final String REFUSED = "#9ecae1";
    private static final String KO = "#ff7f0e";
    private static final String CEILING = "#9e9e9e";
    private static final String P99 = "#d62728";

    private Chart() {
    }

    static String svg(String title, List<TargetRun> runs) {
        double maxRate = 1;
        double maxP99 = 1;
        for (TargetRun run : runs) {
            for (Steady steady : run.steady().stream().toList()) {
                maxRate = Math.max(maxRate, steady.successesPerSecond() + steady.expectedRefusalsPerSecond()
                        + steady.failuresPerSecond());
                maxP99 = Math.max(maxP99, steady.p99());
            }
        }
        int width = LABEL + PANEL * 2 + GAP + 90;
        int height = TOP + runs.size() * ROW + 50;
        int secondPanel = LABEL + PANEL + GAP + 60;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(text(10, 20, "Coupon Rush benchmark, steady phase: " + escape(title), "bold", 14));
        svg.append(text(LABEL, 45, "answers / s by kind (labelled: successful)", "bold", 12));
        svg.append(text(secondPanel, 45, "p99 latency, ms (lower is better)", "bold", 12));
        for (int i = 0; i < runs.size(); i++) {
            TargetRun run = runs.get(i);
            int y = TOP + i * ROW;
            svg.append(text(10, y + 16, escape(run.target()), "normal", 12));
            if (run.steady().isEmpty()) {
                svg.append(text(LABEL, y + 16, "did not run", "italic", 12));
                continue;
            }
            Steady steady = run.steady().get();
            double scale = PANEL / maxRate;
            double issued = steady.successesPerSecond() * scale;
            double refused = steady.expectedRefusalsPerSecond() * scale;
            double ko = steady.failuresPerSecond() * scale;
            svg.append(rect(LABEL, y, Math.max(1, issued), run.ceiling() ? CEILING : ISSUED));
            svg.append(rect(LABEL + issued, y, refused, REFUSED));
            svg.append(rect(LABEL + issued + refused, y, ko, KO));
            svg.append(text((int) (LABEL + Math.max(1, issued + refused + ko) + 5), y + 16,
                    ResultTable.number(steady.successesPerSecond()), "normal", 11));
            double p99 = Math.max(1, steady.p99() / maxP99 * PANEL);
            svg.append(rect(secondPanel, y, p99, run.ceiling() ? CEILING : P99));
            svg.append(text((int) (secondPanel + p99 + 5), y + 16, ResultTable.millis(steady.p99()), "normal", 11));
        }
        int legend = TOP + runs.size() * ROW + 20;
        String[][] keys = {{ISSUED, "issued"}, {REFUSED, "expected refusals"}, {KO, "KO"}, {CEILING, "ceilings"}};
        for (int k = 0; k < keys.length; k++) {
            int x = LABEL + k * 130;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, legend - 10, keys[k][0]));
            svg.append(text(x + 16, legend, keys[k][1], "normal", 11));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String rect(double x, int y, double width, String colour) {
        return width <= 0 ? "" : String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n", x, y + 2, width, colour);
    }

    private static String text(int x, int y, String content, String weight, int size) {
        String style = weight.equals("italic") ? "font-style=\"italic\"" : "font-weight=\"" + weight + "\"";
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" %s>%s</text>%n", x, y, size, style,
                content);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
