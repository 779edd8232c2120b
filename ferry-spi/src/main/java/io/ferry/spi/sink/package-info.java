/** The writing side of the contract: a sink opens a writer per split and says what is durable. */
@NullMarked
package io.ferry.spi.sink;

import org.jspecify.annotations.NullMarked;
