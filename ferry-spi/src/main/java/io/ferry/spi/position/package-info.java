/** Where a reader stands in a split: connector-defined, immutable and encodable for checkpoints. */
@NullMarked
package io.ferry.spi.position;

import org.jspecify.annotations.NullMarked;
