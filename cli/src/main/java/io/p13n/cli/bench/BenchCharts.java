package io.p13n.cli.bench;

import io.p13n.cli.bench.BenchResult.LatencyResult;
import io.p13n.cli.bench.BenchResult.PhaseResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of a bench run (JFreeChart, headless): throughput per phase, drain progress, latency.
 */
final class BenchCharts {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    private BenchCharts() {}

    /** Writes the charts there is data for; returns the files written. */
    static List<Path> write(BenchResult result, Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        List<PhaseResult> ok = result.phases().stream().filter(PhaseResult::ok).toList();
        if (!ok.isEmpty()) {
            written.add(throughput(ok, dir.resolve("throughput.png")));
            written.add(progress(ok, dir.resolve("drain.png")));
        }
        LatencyResult latency = result.latency();
        if (latency != null
                && latency.percentileCurve() != null
                && !latency.percentileCurve().isEmpty()) {
            written.add(latency(latency, dir.resolve("latency.png")));
        }
        return written;
    }

    private static Path throughput(List<PhaseResult> phases, Path file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (PhaseResult p : phases) {
            data.addValue(p.eventsPerSecond(), "events/s", p.phase());
        }
        JFreeChart chart =
                ChartFactory.createBarChart(
                        "Events per second, draining a pre-filled backlog",
                        "phase",
                        "events/s",
                        data,
                        PlotOrientation.VERTICAL,
                        false,
                        false,
                        false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
        renderer.setDefaultItemLabelGenerator(
                new StandardCategoryItemLabelGenerator(
                        "{2}", new java.text.DecimalFormat("#,##0")));
        renderer.setDefaultItemLabelsVisible(true);
        PhaseResult passThrough = Targets.find(phases, Phase.PASS_THROUGH);
        if (passThrough != null) {
            plot.addRangeMarker(
                    marker(
                            Targets.ROCKSDB_RATIO * passThrough.eventsPerSecond(),
                            "RocksDB target (0.35 x pass-through)"));
            plot.addRangeMarker(
                    marker(
                            Targets.HASHMAP_RATIO * passThrough.eventsPerSecond(),
                            "HashMap target (0.5 x pass-through)"));
        }
        return save(chart, file);
    }

    private static Path progress(List<PhaseResult> phases, Path file) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (PhaseResult p : phases) {
            if (p.timeline() == null) {
                continue;
            }
            XYSeries series = new XYSeries(p.phase());
            for (double[] point : p.timeline()) {
                series.add(point[0], point[1]);
            }
            data.addSeries(series);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "Events consumed since the first one (flat steps: checkpoints, GC)",
                        "seconds since the first event",
                        "events",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        style(chart.getXYPlot());
        return save(chart, file);
    }

    private static Path latency(LatencyResult latency, Path file) throws IOException {
        XYSeries series = new XYSeries("event to Redis");
        for (double[] point : latency.percentileCurve()) {
            series.add(nines(point[0]), point[1]);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        String.format(
                                "Event-to-Redis latency at %,.0f events/s",
                                latency.targetEventsPerSecond()),
                        "percentile (1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99)",
                        "milliseconds",
                        new XYSeriesCollection(series),
                        PlotOrientation.VERTICAL,
                        false,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(true);
        plot.addRangeMarker(marker(Targets.P99_MS, "p99 target 100 ms"));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return save(chart, file);
    }

    /** Percentile as "nines": p50 = 0.3, p90 = 1, p99 = 2, p99.9 = 3; max (100) drawn at 4.5. */
    static double nines(double percentile) {
        if (percentile >= 100) {
            return 4.5;
        }
        return -Math.log10(1 - percentile / 100);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < 4; i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        plot.setRenderer(renderer);
    }

    private static ValueMarker marker(double value, String label) {
        ValueMarker marker = new ValueMarker(value);
        marker.setPaint(new Color(0xd6, 0x27, 0x28));
        marker.setStroke(
                new BasicStroke(
                        1.2f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        1.0f,
                        new float[] {6f, 4f},
                        0f));
        marker.setLabel(label);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        return marker;
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
