package io.p13n.jobs.state;

import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Keyed state the way every function of the job declares it: a value that expires {@code ttl} after
 * its last write and is never read once expired, so a key that goes quiet leaves nothing behind
 * even when no timer of its own would clean it up.
 */
public final class KeyedStates {
    private KeyedStates() {}

    public static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .build();
    }

    public static <T> ValueState<T> value(
            RuntimeContext context, String name, TypeInformation<T> type, Duration ttl) {
        return context.getState(descriptor(name, type, ttl));
    }

    /**
     * The descriptor {@link #value} registers: also what a reader of a savepoint must declare (the
     * same name, type and TTL config), or the restore fails on the state's serializer.
     */
    public static <T> ValueStateDescriptor<T> descriptor(
            String name, TypeInformation<T> type, Duration ttl) {
        ValueStateDescriptor<T> descriptor = new ValueStateDescriptor<>(name, type);
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }
}
