/** The JSON run report written by --results-file. */
@NullMarked
package io.ferry.core.report;

import org.jspecify.annotations.NullMarked;
