/** Per-resource send state: the hash of each payload with the time and status of its last answer. */
@NullMarked
package io.ferry.edfi.state;

import org.jspecify.annotations.NullMarked;
