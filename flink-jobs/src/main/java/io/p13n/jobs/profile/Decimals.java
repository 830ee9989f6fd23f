package io.p13n.jobs.profile;

/**
 * Fixed-point text for numbers on the per-event path: {@code String.format("%.2f")} parses its
 * pattern and builds a Formatter on every call, about a microsecond each, dozens of times per
 * profile written. Rounds half up on the scaled value, like {@code Math.round}.
 */
public final class Decimals {
    private static final long[] SCALES = {1, 10, 100, 1_000, 10_000};

    private Decimals() {}

    /** {@code value} with exactly {@code digits} (0 to 4) decimals, e.g. fixed(2.5, 2) = "2.50". */
    public static String fixed(double value, int digits) {
        if (!Double.isFinite(value) || Math.abs(value) >= 1e15) {
            return Double.toString(value);
        }
        long scale = SCALES[digits];
        long scaled = Math.round(Math.abs(value) * scale);
        StringBuilder out = new StringBuilder(24);
        if (value < 0 && scaled != 0) {
            out.append('-');
        }
        out.append(scaled / scale);
        if (digits > 0) {
            out.append('.');
            String fraction = Long.toString(scaled % scale);
            for (int i = fraction.length(); i < digits; i++) {
                out.append('0');
            }
            out.append(fraction);
        }
        return out.toString();
    }
}
