/** Data files in data_dir, resource selectors and dependency order. */
@NullMarked
package io.ferry.edfi.data;

import org.jspecify.annotations.NullMarked;
