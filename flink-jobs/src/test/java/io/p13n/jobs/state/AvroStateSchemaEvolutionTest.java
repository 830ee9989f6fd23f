package io.p13n.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.p13n.jobs.offers.OfferStateDescriptors;
import io.p13n.jobs.profile.CustomerProfileFunction;
import io.p13n.jobs.recommend.ItemTransitionsFunction;
import io.p13n.jobs.recommend.ItemViewsFunction;
import io.p13n.jobs.recommend.OverallTrendingFunction;
import io.p13n.jobs.recommend.SimilarItemsFunction;
import io.p13n.jobs.recommend.TrendingItemsFunction;
import io.p13n.model.CampaignBudgetState;
import io.p13n.model.CampaignStatsState;
import io.p13n.model.CustomerProfile;
import io.p13n.model.ItemNeighboursState;
import io.p13n.model.ItemPopularityState;
import io.p13n.model.OfferCustomerState;
import io.p13n.model.OfferLedgerState;
import io.p13n.model.PendingMoments;
import io.p13n.model.SessionTrailState;
import io.p13n.model.TrendingState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.StateMigrationException;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A savepoint written before a field (with a default) was added to an Avro state type restores into
 * the current code: on real RocksDB keyed state, through Flink's serializer-snapshot compatibility
 * check and RocksDB state migration, with the state declared exactly as the job's functions declare
 * it ({@code AvroTypeInfo<>(T.class)} plus {@link KeyedStates#ttl}).
 *
 * <p>How the old savepoint is produced. {@code AvroSerializer<T>} for a generated class always
 * writes with the class's own schema ({@code AvroFactory.fromSpecific} ignores any other), so the
 * current class cannot write old bytes. What an old job wrote is: the value bytes in the old
 * schema, and an {@link AvroSerializerSnapshot} holding {@code (T's class name, old schema)}.
 * {@link OldClassSerializer} produces exactly that: it encodes {@link GenericRecord}s of the old
 * schema, and snapshots itself as an {@code AvroSerializerSnapshot} of {@code T} with the old
 * schema. On restore Flink loads {@code T} (the new class) from that snapshot, finds the old schema
 * compatible with the new one ({@code SchemaCompatibility}: COMPATIBLE → {@code
 * compatibleAfterMigration}), and RocksDB rewrites every value: read with {@code AvroSerializer(T,
 * reader = new schema, writer = old schema)}, written with the job's serializer. That is the path a
 * real upgrade takes. A GenericRecord-typed old state would not be: its snapshot names {@code
 * GenericRecord}, so the migration would feed {@code GenericData.Record}s of the old schema to
 * {@code T}'s writer.
 */
class AvroStateSchemaEvolutionTest {

    /** Any TTL: its duration is not part of the state's serializer snapshot, the TTL wrapper is. */
    private static final Duration TTL = Duration.ofDays(30);

    private static final List<String> KEYS = List.of("k1", "k2", "k3");

    /**
     * One keyed Avro value state of the job: its record type and the state name it is kept under.
     */
    record StateType(Class<? extends SpecificRecordBase> type, String stateName) {
        Schema schema() {
            try {
                return (Schema) type.getMethod("getClassSchema").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return type.getSimpleName() + " (" + stateName + ")";
        }
    }

    /**
     * Every Avro record type the job keeps as keyed state, under the name its function declares.
     * {@link #everyAvroKeyedStateOfTheJobIsListed} fails when a function declares a new one that is
     * missing here. Not listed: the broadcast (operator) state {@code Campaign}.
     */
    static Stream<StateType> avroKeyedStates() {
        return Stream.of(
                new StateType(CustomerProfile.class, CustomerProfileFunction.PROFILE),
                new StateType(OfferCustomerState.class, OfferStateDescriptors.CUSTOMER_STATE),
                new StateType(PendingMoments.class, OfferStateDescriptors.PENDING_MOMENTS),
                new StateType(OfferLedgerState.class, OfferStateDescriptors.LEDGER_STATE),
                new StateType(io.p13n.model.HeldOffers.class, OfferStateDescriptors.HELD_OFFERS),
                new StateType(CampaignBudgetState.class, OfferStateDescriptors.BUDGET_STATE),
                new StateType(CampaignStatsState.class, OfferStateDescriptors.STATS_STATE),
                new StateType(TrendingState.class, TrendingItemsFunction.TRENDING),
                new StateType(TrendingState.class, OverallTrendingFunction.TRENDING),
                new StateType(ItemNeighboursState.class, SimilarItemsFunction.NEIGHBOURS),
                new StateType(SessionTrailState.class, ItemViewsFunction.SESSION_TRAIL),
                new StateType(ItemPopularityState.class, ItemTransitionsFunction.POPULARITY),
                new StateType(
                        io.p13n.model.ProductCatalogState.class,
                        io.p13n.jobs.catalog.CatalogWatchersFunction.PRODUCT),
                new StateType(
                        io.p13n.model.ProductRating.class,
                        io.p13n.jobs.catalog.CatalogWatchersFunction.RATING));
    }

    /** The types that have a field without a default: dropping it must make Flink refuse. */
    static Stream<StateType> avroKeyedStatesWithARequiredField() {
        return avroKeyedStates().filter(s -> field(s.schema(), f -> !f.hasDefaultValue()) != null);
    }

    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroKeyedStates")
    void aSavepointWithoutTheLastDefaultedFieldRestores(StateType state) throws Exception {
        Schema.Field added = lastField(state.schema(), Schema.Field::hasDefaultValue);
        assertThat(added).as("a field with a default in " + state).isNotNull();
        restoresWithDefault(state, added);
    }

    /** A field in the middle: old values sit at other positions than the new class's fields. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("avroKeyedStates")
    void aSavepointWithoutTheFirstDefaultedFieldRestores(StateType state) throws Exception {
        Schema.Field added = field(state.schema(), Schema.Field::hasDefaultValue);
        assertThat(added).as("a field with a default in " + state).isNotNull();
        restoresWithDefault(state, added);
    }

    /** Negative control: a field added without a default cannot be filled, and Flink says so. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("avroKeyedStatesWithARequiredField")
    void aSavepointWithoutARequiredFieldIsRefused(StateType state) throws Exception {
        Schema.Field required = field(state.schema(), f -> !f.hasDefaultValue());
        Schema old = without(state.schema(), required.name());
        OperatorSubtaskState savepoint = writeOld(state, old);

        var restored = readNewHarness(state);
        assertThatThrownBy(
                        () -> {
                            restored.initializeState(savepoint);
                            restored.open();
                        })
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, StateMigrationException.class))
                                        .as("refused by Flink's compatibility check: %s", e)
                                        .hasValueSatisfying(
                                                m ->
                                                        assertThat(m.getMessage())
                                                                .contains("incompatible")));
        restored.close();
    }

    /**
     * Guard for the list above: every {@code new AvroTypeInfo<>(X.class)} that the job's main code
     * passes to a keyed state declaration ({@code KeyedStates.value(...)} or a {@code
     * ValueStateDescriptor}) is one of the listed types.
     */
    @Test
    void everyAvroKeyedStateOfTheJobIsListed() throws IOException {
        Pattern declaration =
                Pattern.compile(
                        "(KeyedStates\\.value|new ValueStateDescriptor<>)\\((?:[^;]*?)"
                                + "new AvroTypeInfo<>\\((\\w+)\\.class\\)",
                        Pattern.DOTALL);
        Set<String> declared = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = declaration.matcher(Files.readString(file));
                while (m.find()) {
                    declared.add(m.group(2));
                }
            }
        }
        Set<String> listed =
                avroKeyedStates()
                        .map(s -> s.type().getSimpleName())
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).isNotEmpty();
        assertThat(listed).containsAll(declared);
    }

    // ------------------------------------------------------------------------------------------

    private static void restoresWithDefault(StateType state, Schema.Field added) throws Exception {
        Schema current = state.schema();
        Schema old = without(current, added.name());
        assertThat(old.getFields()).hasSize(current.getFields().size() - 1);

        assertThat(needsMigration(state.type(), old))
                .as("the job's serializer resolves the old snapshot as compatible after migration")
                .isTrue();

        OperatorSubtaskState savepoint = writeOld(state, old);

        var restored = readNewHarness(state);
        restored.initializeState(savepoint);
        restored.open();
        List<SpecificRecordBase> values = read(restored);
        assertThat(values).hasSize(KEYS.size());
        for (int i = 0; i < KEYS.size(); i++) {
            SpecificRecordBase value = values.get(i);
            assertThat(value).isInstanceOf(state.type());
            GenericRecord written = sample(old, KEYS.get(i));
            GenericRecord read = asGeneric(value);
            for (Schema.Field f : current.getFields()) {
                Object expected =
                        f.name().equals(added.name())
                                ? GenericData.get().getDefaultValue(f)
                                : written.get(f.name());
                assertThat(render(read.get(f.name())))
                        .as("%s of %s for key %s", f.name(), state, KEYS.get(i))
                        .isEqualTo(render(expected));
            }
        }

        // The migrated state is now in the new format: it checkpoints and restores as is.
        OperatorSubtaskState again = restored.snapshot(2, 20);
        restored.close();
        var second = readNewHarness(state);
        second.initializeState(again);
        second.open();
        assertThat(read(second).stream().map(Object::toString).toList())
                .isEqualTo(values.stream().map(Object::toString).toList());
        second.close();
    }

    /**
     * What Flink decides when the job's serializer for {@code type} meets the old snapshot: it must
     * be "compatible after migration", else the restore would not go through state migration.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends SpecificRecordBase> boolean needsMigration(
            Class<T> type, Schema old) {
        TypeSerializer<T> job =
                new AvroTypeInfo<>(type).createSerializer(new SerializerConfigImpl());
        TypeSerializerSnapshot oldSnapshot =
                new OldClassSerializer(type.getName(), old.toString()).snapshotConfiguration();
        return job.snapshotConfiguration()
                .resolveSchemaCompatibility(oldSnapshot)
                .isCompatibleAfterMigration();
    }

    /** Real RocksDB state written with the old schema, one known value per key, snapshotted. */
    private static OperatorSubtaskState writeOld(StateType state, Schema old) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new WriteOld(state.stateName(), state.type().getName(), old)),
                        (String key) -> key,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        for (String key : KEYS) {
            h.processElement(new StreamRecord<>(key, 1));
        }
        OperatorSubtaskState snapshot = h.snapshot(1, 10);
        h.close();
        return snapshot;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, SpecificRecordBase>
            readNewHarness(StateType state) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ReadNew(state.stateName(), state.type())),
                        (String key) -> key,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static List<SpecificRecordBase> read(
            KeyedOneInputStreamOperatorTestHarness<String, String, SpecificRecordBase> h)
            throws Exception {
        h.getOutput().clear();
        for (String key : KEYS) {
            h.processElement(new StreamRecord<>(key, 2));
        }
        return h.extractOutputValues();
    }

    /** Puts {@link #sample} of the old schema for each key into a value state of the old type. */
    static final class WriteOld extends KeyedProcessFunction<String, String, Void> {
        private final String stateName;
        private final String className;
        private final String oldSchema;
        private transient ValueState<GenericRecord> state;
        private transient Schema schema;

        WriteOld(String stateName, String className, Schema oldSchema) {
            this.stateName = stateName;
            this.className = className;
            this.oldSchema = oldSchema.toString();
        }

        @Override
        public void open(OpenContext context) {
            schema = new Schema.Parser().parse(oldSchema);
            ValueStateDescriptor<GenericRecord> descriptor =
                    new ValueStateDescriptor<>(
                            stateName, new OldClassSerializer(className, oldSchema));
            descriptor.enableTimeToLive(KeyedStates.ttl(TTL));
            state = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(String key, Context ctx, Collector<Void> out) throws Exception {
            state.update(sample(schema, key));
        }
    }

    /** Reads the state back declared the way the job's functions declare it. */
    static final class ReadNew extends KeyedProcessFunction<String, String, SpecificRecordBase> {
        private final String stateName;
        private final Class<? extends SpecificRecordBase> type;
        private transient ValueState<? extends SpecificRecordBase> state;

        ReadNew(String stateName, Class<? extends SpecificRecordBase> type) {
            this.stateName = stateName;
            this.type = type;
        }

        @Override
        public void open(OpenContext context) {
            state =
                    KeyedStates.value(
                            getRuntimeContext(), stateName, new AvroTypeInfo<>(type), TTL);
        }

        @Override
        public void processElement(String key, Context ctx, Collector<SpecificRecordBase> out)
                throws Exception {
            SpecificRecordBase value = state.value();
            if (value != null) {
                out.collect(value);
            }
        }
    }

    /**
     * What the job's {@code AvroSerializer<T>} was before the field was added: bytes in the old
     * schema, and a snapshot {@code (T's class name, old schema)}. The snapshot is built through
     * {@link AvroSerializerSnapshot}'s public read path from exactly the bytes its {@code
     * writeSnapshot} writes (class name, then schema), so it is the snapshot the old job wrote.
     */
    static final class OldClassSerializer extends AvroSerializer<GenericRecord> {
        private static final long serialVersionUID = 1L;
        private final String className;
        private final String oldSchema;

        OldClassSerializer(String className, String oldSchema) {
            super(GenericRecord.class, new Schema.Parser().parse(oldSchema));
            this.className = className;
            this.oldSchema = oldSchema;
        }

        @Override
        public TypeSerializerSnapshot<GenericRecord> snapshotConfiguration() {
            try {
                DataOutputSerializer out = new DataOutputSerializer(1024);
                StringUtils.writeString(className, out);
                StringUtils.writeString(oldSchema, out);
                AvroSerializerSnapshot<GenericRecord> snapshot = new AvroSerializerSnapshot<>();
                snapshot.readSnapshot(
                        snapshot.getCurrentVersion(),
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        Thread.currentThread().getContextClassLoader());
                return snapshot;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public TypeSerializer<GenericRecord> duplicate() {
            return new OldClassSerializer(className, oldSchema);
        }
    }

    // ------------------------------------------------------------------------------------------

    /** {@code schema} without the field {@code name}: the schema before that field was added. */
    static Schema without(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (!f.name().equals(name)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema old =
                Schema.createRecord(
                        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
        schema.getObjectProps().forEach(old::addProp);
        return old;
    }

    private static Schema.Field field(Schema schema, Predicate<Schema.Field> which) {
        return schema.getFields().stream().filter(which).findFirst().orElse(null);
    }

    private static Schema.Field lastField(Schema schema, Predicate<Schema.Field> which) {
        List<Schema.Field> fields = schema.getFields().stream().filter(which).toList();
        return fields.isEmpty() ? null : fields.get(fields.size() - 1);
    }

    /**
     * A value of {@code schema} whose every leaf is set and differs from key to key (and from the
     * usual defaults): strings {@code key-n}, numbers from a counter, one element per array and
     * map, the first non-null branch of a union (null below a few levels, so recursion ends).
     */
    static GenericRecord sample(Schema schema, String key) {
        return (GenericRecord)
                sample(schema, key, new int[] {7 + 100 * Math.abs(key.hashCode() % 7)}, 0);
    }

    private static Object sample(Schema s, String key, int[] n, int depth) {
        int i = ++n[0];
        switch (s.getType()) {
            case RECORD:
                GenericData.Record r = new GenericData.Record(s);
                for (Schema.Field f : s.getFields()) {
                    r.put(f.pos(), sample(f.schema(), key, n, depth + 1));
                }
                return r;
            case ENUM:
                return new GenericData.EnumSymbol(
                        s, s.getEnumSymbols().get(i % s.getEnumSymbols().size()));
            case ARRAY:
                GenericData.Array<Object> a = new GenericData.Array<>(1, s);
                if (depth < 6) {
                    a.add(sample(s.getElementType(), key, n, depth + 1));
                }
                return a;
            case MAP:
                Map<String, Object> m = new LinkedHashMap<>();
                if (depth < 6) {
                    m.put(key + "-m" + i, sample(s.getValueType(), key, n, depth + 1));
                }
                return m;
            case UNION:
                for (Schema branch : s.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL && depth < 6) {
                        return sample(branch, key, n, depth);
                    }
                }
                return null;
            case FIXED:
                byte[] fixed = new byte[s.getFixedSize()];
                fixed[0] = (byte) i;
                return new GenericData.Fixed(s, fixed);
            case STRING:
                return key + "-" + i;
            case BYTES:
                return ByteBuffer.wrap((key + "-" + i).getBytes(StandardCharsets.UTF_8));
            case INT:
                return i;
            case LONG:
                return 1_000_000_000_000L + i;
            case FLOAT:
                return i + 0.25f;
            case DOUBLE:
                return i + 0.5;
            case BOOLEAN:
                return i % 2 == 0;
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("no sample for " + s);
        }
    }

    /** A specific record as a generic one of the same schema (raw values, no conversions). */
    private static GenericRecord asGeneric(SpecificRecordBase value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SpecificRecordBase>(value.getSchema(), value.getSpecificData())
                .write(value, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(value.getSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    /** Avro's JSON rendering: the same for String and Utf8, for generic and specific values. */
    private static String render(Object value) {
        return GenericData.get().toString(value);
    }
}
