/** Apache Kafka topics as a source and a sink, with ferry's own positions and exactly-once import. */
@NullMarked
package io.ferry.kafka;

import org.jspecify.annotations.NullMarked;
