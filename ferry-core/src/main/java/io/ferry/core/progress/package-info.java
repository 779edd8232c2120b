/** Progress events, their aggregation into rates and time remaining, and the renderers for terminals, logs and machines. */
@NullMarked
package io.ferry.core.progress;

import org.jspecify.annotations.NullMarked;
