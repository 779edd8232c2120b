/** The state store: jobs, checkpoints, split progress and run reports, behind one interface with SQLite as the embedded default. */
@NullMarked
package io.ferry.core.state;

import org.jspecify.annotations.NullMarked;
