package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void printsAsMaskWhateverTheValue() {
        assertThat(Secret.of("hunter2")).hasToString("******");
        assertThat(Secret.of("")).hasToString("******");
        assertThat(String.valueOf(Secret.of("hunter2"))).doesNotContain("hunter2");
    }

    @Test
    void revealsTheValueOnlyWhenAsked() {
        assertThat(Secret.of("hunter2").reveal()).isEqualTo("hunter2");
    }

    @Test
    void equalityFollowsTheValue() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).hasSameHashCodeAs(Secret.of("a"));
        assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo("a");
    }

    @Test
    void survivesJavaSerializationForFlinkOperators() throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(Secret.of("hunter2"));
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(Secret.of("hunter2"));
        }
    }
}
