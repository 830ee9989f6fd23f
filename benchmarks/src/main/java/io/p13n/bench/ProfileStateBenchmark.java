package io.p13n.bench;

import io.p13n.jobs.profile.LifecycleRules;
import io.p13n.jobs.profile.ProfileSettings;
import io.p13n.jobs.profile.ProfileUpdateBenchmark;
import io.p13n.model.CustomerProfile;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What RocksDB state costs per event besides RocksDB itself: the customer-profile function reads
 * its state ({@code value()}: deserialize) and writes it back ({@code update()}: serialize) on
 * every event, through the same Flink Avro serializer the state descriptor uses ({@code
 * AvroTypeInfo}). The heap (HashMap) backend pays neither.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProfileStateBenchmark {
    private TypeSerializer<CustomerProfile> serializer;
    private CustomerProfile profile;
    private DataOutputSerializer out;
    private byte[] serialized;
    private DataInputDeserializer in;

    @Setup
    public void setUp() throws IOException {
        serializer =
                new AvroTypeInfo<>(CustomerProfile.class)
                        .createSerializer(new SerializerConfigImpl());
        ProfileSettings settings = ProfileSettings.defaults();
        profile = ProfileUpdateBenchmark.warmProfile(settings, new LifecycleRules(settings));
        out = new DataOutputSerializer(4096);
        serializer.serialize(profile, out);
        serialized = out.getCopyOfBuffer();
        in = new DataInputDeserializer();
        System.out.printf(
                "%n[state] warm CustomerProfile: %d bytes serialized (Flink AvroSerializer)%n",
                serialized.length);
    }

    @Benchmark
    public int serializeProfile() throws IOException {
        out.clear();
        serializer.serialize(profile, out);
        return out.length();
    }

    @Benchmark
    public CustomerProfile deserializeProfile() throws IOException {
        in.setBuffer(serialized);
        return serializer.deserialize(in);
    }

    /** value() then update(): the state round trip of one event on RocksDB. */
    @Benchmark
    public int stateRoundTrip() throws IOException {
        in.setBuffer(serialized);
        CustomerProfile read = serializer.deserialize(in);
        out.clear();
        serializer.serialize(read, out);
        return out.length();
    }
}
