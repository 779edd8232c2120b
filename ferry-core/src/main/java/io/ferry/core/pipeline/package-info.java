/** The per-split loop: read, write to every sink, checkpoint what is durable everywhere, acknowledge. */
@NullMarked
package io.ferry.core.pipeline;

import org.jspecify.annotations.NullMarked;
