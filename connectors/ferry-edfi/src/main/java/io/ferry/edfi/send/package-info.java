/** Sending payloads to the API and the results file of a run. */
@NullMarked
package io.ferry.edfi.send;

import org.jspecify.annotations.NullMarked;
