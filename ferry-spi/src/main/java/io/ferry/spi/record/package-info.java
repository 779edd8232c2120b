/** Records, headers and the coordinates of their origin: the unit of data every connector moves. */
@NullMarked
package io.ferry.spi.record;

import org.jspecify.annotations.NullMarked;
