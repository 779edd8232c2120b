/** Checking payloads before they are sent: JSON, schema, descriptors, uniqueness, references. */
@NullMarked
package io.ferry.edfi.validate;

import org.jspecify.annotations.NullMarked;
