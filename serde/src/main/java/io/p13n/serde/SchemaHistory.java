package io.p13n.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The earlier writer schemas the engine still reads, listed in {@code
 * io/p13n/model/schema-history.txt} on the classpath (every copy of that file is read, so a module
 * or a test can add its own).
 */
public final class SchemaHistory {
    static final String INDEX = "io/p13n/model/schema-history.txt";

    private SchemaHistory() {}

    /** Every listed schema whose full name is {@code fullName}. */
    public static List<Schema> writerSchemasOf(String fullName) {
        List<Schema> found = new ArrayList<>();
        for (Schema schema : all()) {
            if (schema.getFullName().equals(fullName)) {
                found.add(schema);
            }
        }
        return found;
    }

    static List<Schema> all() {
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        List<Schema> schemas = new ArrayList<>();
        try {
            Enumeration<URL> indexes = loader.getResources(INDEX);
            while (indexes.hasMoreElements()) {
                URL index = indexes.nextElement();
                try (BufferedReader reader =
                        new BufferedReader(
                                new InputStreamReader(
                                        index.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        line = line.trim();
                        if (line.isEmpty() || line.startsWith("#")) {
                            continue;
                        }
                        schemas.add(parse(loader, line, index));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
        return schemas;
    }

    private static Schema parse(ClassLoader loader, String resource, URL index) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(
                        index + " lists " + resource + ", which is not on the classpath");
            }
            // A fresh parser per file: each historical schema is self-contained.
            return new Schema.Parser().parse(in);
        }
    }
}
