/** JMH micro benchmarks of ferry's hot paths and the end-to-end export benchmark against zstd. */
@NullMarked
package io.ferry.benchmarks;

import org.jspecify.annotations.NullMarked;
