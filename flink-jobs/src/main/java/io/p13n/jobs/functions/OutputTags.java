package io.p13n.jobs.functions;

import io.p13n.model.DeadLetter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Side outputs shared between the functions that emit them and the workflow that routes them. */
public final class OutputTags {
  private OutputTags() {}

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));
}
