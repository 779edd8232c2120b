/** PostgreSQL task folders exported to compressed CSV archives, deleting exactly the rows that were exported. */
@NullMarked
package io.ferry.postgres;

import org.jspecify.annotations.NullMarked;
