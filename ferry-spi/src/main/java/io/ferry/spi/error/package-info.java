/** Failures with a code and a kind; the kind decides the exit code and the report line. */
@NullMarked
package io.ferry.spi.error;

import org.jspecify.annotations.NullMarked;
