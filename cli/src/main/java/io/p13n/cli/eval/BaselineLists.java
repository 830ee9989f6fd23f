package io.p13n.cli.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recommendation lists saved by session-rec ({@code SessionId;Position;Recommendations;Scores}, ids
 * comma-separated, best first): another algorithm's predictions, scored with the same metric code.
 */
final class BaselineLists {
    private BaselineLists() {}

    /**
     * The lists by prediction, in file order. Session ids are the data set's own (not prefixed).
     */
    static Map<PredictionKey, List<String>> read(Path file) throws IOException {
        Map<PredictionKey, List<String>> lists = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("SessionId;Position;Recommendations")) {
                throw new IOException(
                        file
                                + ": expected the header SessionId;Position;Recommendations;Scores, got "
                                + header);
            }
            int lineNumber = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(";", -1);
                if (f.length < 3) {
                    throw new IOException(
                            file
                                    + ":"
                                    + lineNumber
                                    + ": expected at least 3 fields separated by ';'");
                }
                try {
                    PredictionKey key =
                            new PredictionKey(f[0].trim(), Integer.parseInt(f[1].trim()));
                    List<String> items =
                            f[2].isBlank()
                                    ? List.of()
                                    : Arrays.stream(f[2].split(",")).map(String::trim).toList();
                    if (lists.put(key, items) != null) {
                        throw new IOException(
                                file + ":" + lineNumber + ": duplicate prediction " + key);
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(
                            file + ":" + lineNumber + ": Position is not an integer: " + f[1], e);
                }
            }
        }
        return lists;
    }
}
