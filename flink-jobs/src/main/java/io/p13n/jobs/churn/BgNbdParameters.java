package io.p13n.jobs.churn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

/**
 * The four parameters of the BG/NBD model (Fader, Hardie and Lee, "Counting Your Customers the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 2005), with time measured
 * in <b>weeks</b>: a customer buys, while alive, at a rate {@code lambda ~ Gamma(r, alpha)} per
 * week, and after every repeat purchase drops out with probability {@code p ~ Beta(a, b)}.
 *
 * <p>Stored as a Java {@code .properties} file (UTF-8): keys {@code r}, {@code alpha}, {@code a},
 * {@code b} and {@code time-unit} (must be {@code weeks}; assumed when absent), plus the
 * informational {@code log-likelihood}, {@code customers}, {@code fitted-at} and {@code source}
 * that {@link #save(Path, Provenance)} writes and {@link #load(Path)} ignores.
 *
 * @param r shape of the purchase-rate distribution
 * @param alpha scale of the purchase-rate distribution, in weeks
 * @param a first shape of the dropout-probability distribution
 * @param b second shape of the dropout-probability distribution
 */
public record BgNbdParameters(double r, double alpha, double a, double b) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The only time unit the parameters are expressed in. */
    public static final String TIME_UNIT = "weeks";

    /**
     * The estimates published by Fader, Hardie and Lee (2005, section 5) for the 2,357-customer
     * CDNOW sample (calibration: the 39 weeks to 1997-09-30), whose log-likelihood there is
     * -9582.4: the engine's default until a fit on the store's own orders has been run.
     */
    public static final BgNbdParameters PUBLISHED_CDNOW =
            new BgNbdParameters(0.243, 4.414, 0.793, 2.426);

    /** Log-likelihood of {@link #PUBLISHED_CDNOW} on its calibration data, as published. */
    public static final double PUBLISHED_CDNOW_LOG_LIKELIHOOD = -9582.4;

    /**
     * @throws IllegalArgumentException unless all four are finite and positive
     */
    public BgNbdParameters {
        check("r", r);
        check("alpha", alpha);
        check("a", a);
        check("b", b);
    }

    private static void check(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "BG/NBD parameter " + name + " must be finite and > 0, got " + value);
        }
    }

    /**
     * Where a set of parameters came from; written to the file for people, ignored when loading.
     *
     * @param logLikelihood total log-likelihood of the fit on its calibration data
     * @param customers customers in the calibration data
     * @param fittedAt when the fit ran
     * @param source what it was fitted on (files, topic), free text
     */
    public record Provenance(
            double logLikelihood, long customers, Instant fittedAt, String source) {}

    /**
     * Writes {@code r}, {@code alpha}, {@code a}, {@code b} and {@code time-unit} to a properties
     * file.
     */
    public void save(Path file) throws IOException {
        save(file, null);
    }

    /**
     * Writes the parameters, and where they came from, to a properties file, creating its directory
     * if needed. Numbers are written in full precision ({@link Double#toString}).
     *
     * @param provenance informational keys; {@code null} to write only the parameters
     */
    public void save(Path file, Provenance provenance) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        StringBuilder text =
                new StringBuilder()
                        .append(
                                "# BG/NBD churn model parameters (Fader, Hardie & Lee 2005), time unit: weeks.\n")
                        .append(
                                "# Read by the personalization job; written by `personalize churn fit`.\n")
                        .append("r=")
                        .append(r)
                        .append('\n')
                        .append("alpha=")
                        .append(alpha)
                        .append('\n')
                        .append("a=")
                        .append(a)
                        .append('\n')
                        .append("b=")
                        .append(b)
                        .append('\n')
                        .append("time-unit=")
                        .append(TIME_UNIT)
                        .append('\n');
        if (provenance != null) {
            text.append("# Informational, not read back:\n")
                    .append("log-likelihood=")
                    .append(provenance.logLikelihood())
                    .append('\n')
                    .append("customers=")
                    .append(provenance.customers())
                    .append('\n');
            if (provenance.fittedAt() != null) {
                text.append("fitted-at=").append(provenance.fittedAt()).append('\n');
            }
            if (provenance.source() != null) {
                text.append("source=").append(escape(provenance.source())).append('\n');
            }
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write(text.toString());
        }
    }

    /**
     * Reads parameters written by {@link #save}, or by hand: keys {@code r}, {@code alpha}, {@code
     * a} and {@code b} are required, {@code time-unit} must be {@code weeks} if present, other keys
     * are ignored.
     *
     * @throws IOException if the file cannot be read, or (with the file and key in the message) a
     *     key is missing, not a number, not finite and positive, or the time unit is not weeks
     */
    public static BgNbdParameters load(Path file) throws IOException {
        Properties properties = new Properties();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException e) { // a malformed \\uXXXX escape
            throw new IOException(file + ": not a valid properties file: " + e.getMessage(), e);
        }
        String unit = properties.getProperty("time-unit");
        if (unit != null && !unit.trim().equals(TIME_UNIT)) {
            throw new IOException(
                    file
                            + ": key 'time-unit': the parameters must be in "
                            + TIME_UNIT
                            + ", got '"
                            + unit.trim()
                            + "'");
        }
        return new BgNbdParameters(
                positive(file, properties, "r"),
                positive(file, properties, "alpha"),
                positive(file, properties, "a"),
                positive(file, properties, "b"));
    }

    private static double positive(Path file, Properties properties, String key)
            throws IOException {
        String text = properties.getProperty(key);
        if (text == null || text.isBlank()) {
            throw new IOException(file + ": key '" + key + "' is missing (need r, alpha, a and b)");
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IOException(
                    file + ": key '" + key + "': expected a number, got '" + text.trim() + "'");
        }
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IOException(
                    file + ": key '" + key + "': must be finite and > 0, got " + text.trim());
        }
        return value;
    }

    /** Escapes a value for a properties file: backslashes, line breaks and leading blanks. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "BG/NBD(r=%.4f, alpha=%.4f, a=%.4f, b=%.4f; weeks)",
                r,
                alpha,
                a,
                b);
    }
}
