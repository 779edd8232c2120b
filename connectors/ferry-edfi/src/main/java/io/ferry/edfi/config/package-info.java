/** The lightbeam YAML configuration: keys, defaults, environment references, validation. */
@NullMarked
package io.ferry.edfi.config;

import org.jspecify.annotations.NullMarked;
