/** The reading side of the contract: a source plans splits and opens a reader per split. */
@NullMarked
package io.ferry.spi.source;

import org.jspecify.annotations.NullMarked;
