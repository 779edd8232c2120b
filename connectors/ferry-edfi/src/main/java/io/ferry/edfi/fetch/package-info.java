/** Reading from and deleting in the API: count, fetch, delete and truncate. */
@NullMarked
package io.ferry.edfi.fetch;

import org.jspecify.annotations.NullMarked;
