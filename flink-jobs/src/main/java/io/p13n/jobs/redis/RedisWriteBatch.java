package io.p13n.jobs.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The writes one checkpoint committed: the committable of {@link CheckpointCommittedRedisSink}. It
 * is stored in the checkpoint until Redis acknowledged it, so it has a versioned binary form.
 */
public record RedisWriteBatch(List<RedisWrite> writes) {

    /**
     * Version 1: count, then per write a tag byte (H hash, V value, L list push, D delete), key and
     * content. The list push came later under the same version: batches written before it still
     * read the same, and none of them holds an L.
     */
    public static final class Serializer implements SimpleVersionedSerializer<RedisWriteBatch> {
        private static final int VERSION = 1;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(RedisWriteBatch batch) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeInt(batch.writes().size());
            for (RedisWrite write : batch.writes()) {
                if (write instanceof RedisHashWrite hash) {
                    out.writeByte('H');
                    out.writeUTF(hash.key());
                    out.writeLong(hash.ttlMillis());
                    out.writeInt(hash.fields().size());
                    for (Map.Entry<String, String> field : hash.fields().entrySet()) {
                        out.writeUTF(field.getKey());
                        writeLongString(out, field.getValue());
                    }
                } else if (write instanceof RedisValueWrite value) {
                    out.writeByte('V');
                    out.writeUTF(value.key());
                    out.writeLong(value.ttlMillis());
                    writeLongString(out, value.value());
                } else if (write instanceof RedisListPush push) {
                    out.writeByte('L');
                    out.writeUTF(push.key());
                    out.writeLong(push.ttlMillis());
                    out.writeInt(push.maxLength());
                    writeLongString(out, push.value());
                } else {
                    out.writeByte('D');
                    out.writeUTF(write.key());
                }
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public RedisWriteBatch deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException(
                        "unknown RedisWriteBatch version "
                                + version
                                + " (this build reads "
                                + VERSION
                                + ")");
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int count = in.readInt();
            List<RedisWrite> writes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte tag = in.readByte();
                String key = in.readUTF();
                switch (tag) {
                    case 'H' -> {
                        long ttl = in.readLong();
                        int fields = in.readInt();
                        Map<String, String> map = new LinkedHashMap<>();
                        for (int f = 0; f < fields; f++) {
                            map.put(in.readUTF(), readLongString(in));
                        }
                        writes.add(new RedisHashWrite(key, map, ttl));
                    }
                    case 'V' -> {
                        long ttl = in.readLong();
                        writes.add(new RedisValueWrite(key, readLongString(in), ttl));
                    }
                    case 'L' -> {
                        long ttl = in.readLong();
                        int maxLength = in.readInt();
                        writes.add(new RedisListPush(key, readLongString(in), maxLength, ttl));
                    }
                    case 'D' -> writes.add(new RedisDelete(key));
                    default -> throw new IOException("corrupt RedisWriteBatch: tag " + tag);
                }
            }
            return new RedisWriteBatch(writes);
        }

        // writeUTF is limited to 64 KiB; JSON documents may be longer.
        private static void writeLongString(DataOutputSerializer out, String s) throws IOException {
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        private static String readLongString(DataInputDeserializer in) throws IOException {
            byte[] utf8 = new byte[in.readInt()];
            in.readFully(utf8);
            return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
