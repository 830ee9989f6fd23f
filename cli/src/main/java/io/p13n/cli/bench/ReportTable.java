package io.p13n.cli.bench;

import io.p13n.cli.bench.BenchResult.CheckpointResult;
import io.p13n.cli.bench.BenchResult.LatencyResult;
import io.p13n.cli.bench.BenchResult.PhaseResult;
import io.p13n.cli.bench.BenchResult.TargetCheck;
import io.p13n.cli.bench.BenchResult.WorkloadResult;
import java.util.List;
import java.util.Locale;

/** The human-readable summary printed at the end of a bench run. */
final class ReportTable {
    static final String DASH = "-";

    private ReportTable() {}

    static String render(BenchResult result) {
        StringBuilder out = new StringBuilder();
        WorkloadResult w = result.workload();
        if (w != null) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "Workload: %,d events (%,d clicks, %,d orders) from %,d customers (%,d with events), %,d products, %,d categories, seed %d, %,d sessions open at once, event times over %s%n",
                            w.events(),
                            w.clicks(),
                            w.orders(),
                            w.customers(),
                            w.customersWithEvents(),
                            w.products(),
                            w.categories(),
                            w.seed(),
                            w.openSessions(),
                            w.eventTimeSpan()));
        }
        if (result.settings() != null) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "Engine: parallelism %d, %d partitions per topic, checkpoint every %s%s%s%s%n",
                            result.settings().parallelism(),
                            result.settings().partitions(),
                            result.settings().checkpointInterval(),
                            result.settings().engineOptions().isEmpty()
                                    ? ""
                                    : ", engine options " + result.settings().engineOptions(),
                            result.settings().flinkOptions().isEmpty()
                                    ? ""
                                    : ", Flink options " + result.settings().flinkOptions(),
                            result.settings().warmedUp()
                                    ? "; warmed up (one unmeasured engine drain first)"
                                    : ""));
        }
        out.append('\n');
        String header =
                String.format(
                        Locale.ROOT,
                        "%-13s %10s %8s %11s %9s %11s %6s %15s %11s",
                        "phase",
                        "events/s",
                        "x pass",
                        "Redis cmd",
                        "Redis B",
                        "state B",
                        "ckpts",
                        "ckpt ms",
                        "final ckpt");
        String header2 =
                String.format(
                        Locale.ROOT,
                        "%-13s %10s %8s %11s %9s %11s %6s %15s %11s",
                        "",
                        "",
                        "through",
                        "/event",
                        "/event",
                        "/customer",
                        "",
                        "avg / max",
                        "ms");
        out.append(header)
                .append('\n')
                .append(header2)
                .append('\n')
                .append("-".repeat(header.length()))
                .append('\n');
        for (PhaseResult p : result.phases()) {
            out.append(row(p)).append('\n');
        }
        String busy = otherLoadLines(result);
        if (!busy.isEmpty()) {
            out.append('\n').append(busy);
        }
        String work = vertexLines(result.phases());
        if (!work.isEmpty()) {
            out.append(
                            "\nWhere the time went while draining (share of the vertex's subtask time busy / back-pressured):\n")
                    .append(work);
        }
        String state = stateLines(result.phases());
        if (!state.isEmpty()) {
            out.append("\nState in the final checkpoint, by vertex (full size / incremental):\n")
                    .append(state);
        }
        LatencyResult l = result.latency();
        if (l != null) {
            out.append('\n').append(latencyLine(l)).append('\n');
        }
        List<TargetCheck> targets = result.targets();
        if (targets != null && !targets.isEmpty()) {
            out.append("\nTargets (issue #13; measured against, not asserted):\n");
            for (TargetCheck t : targets) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "  %-46s %-8s %10s  %s%n",
                                t.target(),
                                t.threshold(),
                                t.actual() == null ? DASH : number(t.actual()),
                                t.met() == null ? "not measured" : t.met() ? "met" : "MISSED"));
            }
        }
        return out.toString();
    }

    static String row(PhaseResult p) {
        if (!p.ok()) {
            return String.format(Locale.ROOT, "%-13s failed: %s", p.phase(), p.error());
        }
        CheckpointResult c = p.checkpoints();
        String avgMax =
                c == null || c.avgDurationMs() == null
                        ? DASH
                        : String.format(
                                Locale.ROOT, "%,.0f / %,d", c.avgDurationMs(), c.maxDurationMs());
        return String.format(
                Locale.ROOT,
                "%-13s %,10.0f %8s %11s %9s %11s %6s %15s %11s",
                p.phase(),
                p.eventsPerSecond(),
                p.ratioToPassThrough() == null
                        ? DASH
                        : String.format(Locale.ROOT, "%.2f", p.ratioToPassThrough()),
                p.redis() == null || p.redis().commandsPerEvent() == null
                        ? DASH
                        : String.format(Locale.ROOT, "%.3f", p.redis().commandsPerEvent()),
                p.redis() == null || p.redis().bytesInPerEvent() == null
                        ? DASH
                        : String.format(Locale.ROOT, "%,.0f", p.redis().bytesInPerEvent()),
                p.stateBytesPerCustomer() == null
                        ? DASH
                        : String.format(Locale.ROOT, "%,.0f", p.stateBytesPerCustomer()),
                c == null ? DASH : Integer.toString(c.completedWhileDraining()),
                avgMax,
                c == null || c.finalDurationMs() == null
                        ? DASH
                        : String.format(Locale.ROOT, "%,d", c.finalDurationMs()));
    }

    static String vertexLines(List<PhaseResult> phases) {
        StringBuilder out = new StringBuilder();
        for (PhaseResult p : phases) {
            if (!p.ok() || p.vertices() == null) {
                continue;
            }
            String label = p.phase();
            for (BenchResult.VertexResult v : p.vertices()) {
                String name = v.name().length() > 72 ? v.name().substring(0, 69) + "..." : v.name();
                out.append(
                        String.format(
                                Locale.ROOT,
                                "  %-13s %-72s %4s / %4s%n",
                                label,
                                name,
                                percent(v.busyShare()),
                                percent(v.backPressuredShare())));
                label = "";
            }
        }
        return out.toString();
    }

    /** The vertices holding state in each phase's final checkpoint, largest first. */
    static String stateLines(List<PhaseResult> phases) {
        StringBuilder out = new StringBuilder();
        for (PhaseResult p : phases) {
            CheckpointResult c = p.ok() ? p.checkpoints() : null;
            if (c == null || c.finalStateByVertex() == null) {
                continue;
            }
            String label = p.phase();
            for (BenchResult.VertexState v : c.finalStateByVertex()) {
                if (v.stateBytes() == 0) {
                    continue;
                }
                String name = v.name().length() > 72 ? v.name().substring(0, 69) + "..." : v.name();
                out.append(
                        String.format(
                                Locale.ROOT,
                                "  %-13s %-72s %,12d / %,12d%n",
                                label,
                                name,
                                v.stateBytes(),
                                v.checkpointedBytes()));
                label = "";
            }
        }
        return out.toString();
    }

    /** Share of the machine's CPU that other processes took, above which a warning is printed. */
    static final double OTHERS_WARNING = 0.10;

    /** Warnings for phases during which other processes took a noticeable share of the machine. */
    static String otherLoadLines(BenchResult result) {
        StringBuilder out = new StringBuilder();
        for (PhaseResult p : result.phases()) {
            warn(out, p.phase(), p.cpu());
        }
        if (result.latency() != null) {
            warn(out, "latency", result.latency().cpu());
        }
        return out.toString();
    }

    private static void warn(StringBuilder out, String phase, BenchResult.CpuUse cpu) {
        if (cpu != null && cpu.otherProcesses() > OTHERS_WARNING) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "Warning: other processes used %.0f%% of the machine's CPU during %s (the bench %.0f%%): its numbers are low by up to that much.%n",
                            100 * cpu.otherProcesses(),
                            phase,
                            100 * cpu.bench()));
        }
    }

    private static String percent(Double share) {
        return share == null ? DASH : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** 7d, 30s, 1h30m, 250ms: how durations are typed on the command line. */
    static String human(java.time.Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillisPart() != 0 || d.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder out = new StringBuilder();
        if (d.toDaysPart() > 0) {
            out.append(d.toDaysPart()).append('d');
        }
        if (d.toHoursPart() > 0) {
            out.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            out.append(d.toSecondsPart()).append('s');
        }
        return out.toString();
    }

    static String latencyLine(LatencyResult l) {
        if (!"ok".equals(l.status())) {
            return "latency       failed: " + l.error();
        }
        return String.format(
                        Locale.ROOT,
                        "latency at %,.0f ev/s (%s; achieved %,.0f), %.0f s, %,d events (%,d seen in Redis): p50 %s ms  p99 %s ms  p99.9 %s ms  max %s ms",
                        l.targetEventsPerSecond(),
                        l.rateBasis(),
                        l.achievedEventsPerSecond() == null
                                ? Double.NaN
                                : l.achievedEventsPerSecond(),
                        l.seconds(),
                        l.eventsMeasured(),
                        l.eventsObserved(),
                        ms(l.p50Ms()),
                        ms(l.p99Ms()),
                        ms(l.p999Ms()),
                        ms(l.maxMs()))
                + (l.listEventsMeasured() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "%n              product view to recommendation list: %,d views (%,d seen in Redis): p50 %s ms  p99 %s ms  p99.9 %s ms",
                                l.listEventsMeasured(),
                                l.listEventsObserved(),
                                ms(l.listP50Ms()),
                                ms(l.listP99Ms()),
                                ms(l.listP999Ms())))
                + (l.checkpointsWhileMeasuring() == null || l.checkpointsWhileMeasuring() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "%n              events sent away from the %d checkpoint(s) (1 s either side): p99 %s ms  p99.9 %s ms",
                                l.checkpointsWhileMeasuring(),
                                ms(l.p99OutsideCheckpointsMs()),
                                ms(l.p999OutsideCheckpointsMs())));
    }

    private static String ms(Double value) {
        return value == null ? DASH : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String number(double value) {
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
