package io.p13n.cli.bench;

import java.lang.management.ManagementFactory;

/**
 * How busy the machine was while a phase ran: this JVM's CPU use and the whole machine's, as shares
 * of all cores, averaged over samples. What the machine used beyond this JVM (other builds, other
 * benchmarks) was taken from the engine: a phase with a large share is not a clean measurement.
 */
final class CpuSampler {
    private final com.sun.management.OperatingSystemMXBean os;
    private double process;
    private double system;
    private int samples;

    CpuSampler() {
        java.lang.management.OperatingSystemMXBean bean =
                ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    void sample() {
        if (os == null) {
            return;
        }
        double p = os.getProcessCpuLoad();
        double s = os.getCpuLoad();
        if (p >= 0 && s >= 0) {
            process += p;
            system += s;
            samples++;
        }
    }

    BenchResult.CpuUse result() {
        if (samples == 0) {
            return null;
        }
        double p = process / samples;
        double s = system / samples;
        return new BenchResult.CpuUse(p, s, Math.max(0, s - p), samples);
    }
}
