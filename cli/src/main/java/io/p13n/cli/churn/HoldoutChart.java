package io.p13n.cli.churn;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The tracking curve as a PNG line chart (JFreeChart, headless), with the end of calibration
 * marked.
 */
final class HoldoutChart {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    private HoldoutChart() {}

    static void write(TrackingCurve curve, String title, Path file) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no display needed, none expected
        }
        XYSeries actual = new XYSeries("Actual");
        XYSeries model = new XYSeries("BG/NBD model");
        for (int i = 0; i < curve.weeks().length; i++) {
            actual.add(curve.weeks()[i], curve.actual()[i]);
            model.add(curve.weeks()[i], curve.model()[i]);
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        dataset.addSeries(actual);
        dataset.addSeries(model);
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title,
                        "Weeks since the cohort's first purchase",
                        "Cumulative repeat purchases",
                        dataset,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
        renderer.setSeriesStroke(0, new BasicStroke(2.0f));
        renderer.setSeriesPaint(1, new Color(0xd6, 0x27, 0x28));
        renderer.setSeriesStroke(
                1,
                new BasicStroke(
                        2.0f,
                        BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND,
                        1.0f,
                        new float[] {8f, 5f},
                        0f));
        plot.setRenderer(renderer);
        ValueMarker end = new ValueMarker(curve.calibrationEndWeek());
        end.setPaint(Color.DARK_GRAY);
        end.setStroke(
                new BasicStroke(
                        1.2f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        1.0f,
                        new float[] {4f, 4f},
                        0f));
        end.setLabel("end of calibration ");
        end.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        end.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(end);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
