/**
 * Typed, validated configuration of the personalization engine, read once at start.
 *
 * <p>{@link io.p13n.config.EngineOptions} declares every option; {@link
 * io.p13n.config.EngineConfig} reads a properties file and the {@code P13N_*} environment, checks
 * all values and reports every problem at once in a {@link io.p13n.config.ConfigException}; {@link
 * io.p13n.config.ConfigDocs} renders the reference table for the README. No dependencies, so that
 * the launcher can validate configuration before it loads Flink.
 */
package io.p13n.config;
