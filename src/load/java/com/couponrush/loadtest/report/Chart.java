package com.couponrush.loadtest.report;

import com.couponrush.loadtest.bench.Benchmark;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** A two-panel horizontal bar chart (throughput, p99) as plain SVG, so the report needs no charting library. */
final class Chart {

    private static final int ROW = 30;
    private static final int TOP = 60;
    private static final int LABEL = 150;
    private static final int PANEL = 330;
    private static final int GAP = 40;

    private Chart() {
    }

    static String svg(String title, List<Benchmark.Run> runs) {
        double maxRate = 1;
        double maxP99 = 1;
        for (Benchmark.Run run : runs) {
            if (run.result().isPresent()) {
                JsonNode steady = run.result().get().path("steady");
                maxRate = Math.max(maxRate, steady.path("successesPerSecond").asDouble());
                maxP99 = Math.max(maxP99, steady.path("latencyMillis").path("p99").asDouble());
            }
        }
        int width = LABEL + PANEL * 2 + GAP + 90;
        int height = TOP + runs.size() * ROW + 30;
        int secondPanel = LABEL + PANEL + GAP + 60;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(text(10, 20, "Coupon Rush benchmark, " + escape(title) + " (steady phase)", "bold", 14));
        svg.append(text(LABEL, 45, "successful answers / s (higher is better)", "bold", 12));
        svg.append(text(secondPanel, 45, "p99 latency, ms (lower is better)", "bold", 12));
        for (int i = 0; i < runs.size(); i++) {
            Benchmark.Run run = runs.get(i);
            int y = TOP + i * ROW;
            svg.append(text(10, y + 16, escape(run.target()), "normal", 12));
            if (run.result().isEmpty()) {
                svg.append(text(LABEL, y + 16, "did not run", "italic", 12));
                continue;
            }
            JsonNode steady = run.result().get().path("steady");
            double rate = steady.path("successesPerSecond").asDouble();
            double p99 = steady.path("latencyMillis").path("p99").asDouble();
            boolean ceiling = Benchmark.isCeiling(run.target());
            svg.append(bar(LABEL, y, rate / maxRate * PANEL, ceiling ? "#9e9e9e" : "#1f77b4",
                    BenchmarkReport.number(rate)));
            svg.append(bar(secondPanel, y, p99 / maxP99 * PANEL, ceiling ? "#9e9e9e" : "#d62728",
                    BenchmarkReport.millis(p99)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String bar(int x, int y, double length, String colour, String value) {
        double width = Math.max(1, length);
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n", x,
                y + 2, width, colour) + text((int) (x + width + 5), y + 16, value, "normal", 11);
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
