/** Jobs: their names, specifications and the runner that drives every split to the end or to a clean pause. */
@NullMarked
package io.ferry.core.job;

import org.jspecify.annotations.NullMarked;
