package io.p13n.jobs.churn;

import io.p13n.model.testing.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDNOW sample as the tests read it, straight from the files (this module cannot use the cli's
 * DatasetReader): rows of {@code CDNOW_sample.txt} and the rows of {@code
 * cdnow_customers_summary.csv}. Tests that need them are skipped, with a message, where the data
 * sets are missing.
 */
final class CdnowData {
    static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);

    /**
     * One line of the sample: {@code sampleId} is the second column, the id the summary csv uses.
     */
    record Purchase(int masterId, int sampleId, LocalDate day, int cds, double dollars) {
        long epochMillis() {
            return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
    }

    /** One row of the summary csv. */
    record Summary(int id, int frequency, double recency, double T) {}

    private CdnowData() {}

    static Path require(String file) {
        return Datasets.require("cdnow/" + file);
    }

    static List<Purchase> sample() throws IOException {
        List<Purchase> purchases = new ArrayList<>();
        for (String line : Files.readAllLines(require("CDNOW_sample.txt"))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            purchases.add(
                    new Purchase(
                            Integer.parseInt(f[0]),
                            Integer.parseInt(f[1]),
                            LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE),
                            Integer.parseInt(f[3]),
                            Double.parseDouble(f[4])));
        }
        return purchases;
    }

    static List<Summary> summary() throws IOException {
        List<Summary> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(require("cdnow_customers_summary.csv"));
        if (!lines.get(0).equals("ID,frequency,recency,T")) {
            throw new IOException("unexpected header " + lines.get(0));
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            rows.add(
                    new Summary(
                            Integer.parseInt(f[0]),
                            Integer.parseInt(f[1]),
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3])));
        }
        return rows;
    }

    static List<BgNbdFitter.Observation> summaryObservations() throws IOException {
        List<BgNbdFitter.Observation> observations = new ArrayList<>();
        for (Summary s : summary()) {
            observations.add(new BgNbdFitter.Observation(s.frequency(), s.recency(), s.T()));
        }
        return observations;
    }

    static long millis(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
