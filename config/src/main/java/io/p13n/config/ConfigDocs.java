package io.p13n.config;

/**
 * The configuration reference, generated from {@link EngineOptions} so that the README cannot drift
 * from the code. A test checks that every option is in it.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    /**
     * A Markdown table with one row per option, in the order of {@link EngineOptions#ALL}, plus one
     * row for the {@code kafka.client.*} passthrough. Columns: key, env, default, description
     * (which ends with what is accepted). Required options show {@code required} as their default;
     * options that are unset by default show {@code (not set)}.
     */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| key | env | default | description |\n");
        out.append("|---|---|---|---|\n");
        for (ConfigOption<?> option : EngineOptions.ALL) {
            String description = option.description();
            if (option.isSecret()) {
                description +=
                        " Secret: shown as "
                                + Secret.MASK
                                + "; better set in the environment than in the file.";
            }
            description += " Accepts " + option.expected() + ".";
            row(out, code(option.key()), code(option.envName()), defaultCell(option), description);
        }
        row(
                out,
                code(EngineOptions.KAFKA_CLIENT_PREFIX + "<x>"),
                "file only",
                "",
                "Passed verbatim to the Kafka clients as <x>, for client settings without an option of"
                        + " their own, e.g. kafka.client.max.poll.records=1000. Only in the properties file:"
                        + " P13N_KAFKA_CLIENT_* environment variables are ignored, because an environment"
                        + " name cannot be turned back into a Kafka key. Settings that have an option here"
                        + " (bootstrap.servers, group.id, security.protocol, sasl.*, ssl.truststore.*) are"
                        + " rejected; use the option. Values of keys that look like credentials are masked in"
                        + " logs.");
        return out.toString();
    }

    private static String defaultCell(ConfigOption<?> option) {
        if (option.isRequired()) {
            return "**required**";
        }
        String text = option.defaultValueText().orElseThrow();
        return text.isEmpty() ? "(not set)" : code(text);
    }

    private static void row(StringBuilder out, String... cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(escape(cell)).append(" |");
        }
        out.append('\n');
    }

    private static String code(String text) {
        return "`" + text + "`";
    }

    /** A '|' would end the cell and a line break the row. */
    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }
}
