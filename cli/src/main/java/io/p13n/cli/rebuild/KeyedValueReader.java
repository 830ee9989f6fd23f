package io.p13n.cli.rebuild;

import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/**
 * Reads one keyed value state of the job and emits what each key's value maps to. The descriptor
 * must be the job's own (name, type, TTL config): the savepoint's serializer is checked against it.
 * Expired values are not returned, as the job's TTL config says.
 */
final class KeyedValueReader<T, O> extends KeyedStateReaderFunction<String, O> {
    private static final long serialVersionUID = 1L;

    /** What one key's value becomes; null emits nothing. */
    @FunctionalInterface
    interface Mapping<T, O> extends Serializable {
        O map(String key, T value);
    }

    private final ValueStateDescriptor<T> descriptor;
    private final Mapping<T, O> mapping;
    private transient ValueState<T> state;

    KeyedValueReader(ValueStateDescriptor<T> descriptor, Mapping<T, O> mapping) {
        this.descriptor = descriptor;
        this.mapping = mapping;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void readKey(String key, Context context, Collector<O> out) throws Exception {
        T value = state.value();
        if (value != null) {
            O mapped = mapping.map(key, value);
            if (mapped != null) {
                out.collect(mapped);
            }
        }
    }
}
