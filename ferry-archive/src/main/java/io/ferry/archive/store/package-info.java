/** Object stores: the bucket abstraction the archive is written to, and a local-directory implementation. */
@NullMarked
package io.ferry.archive.store;

import org.jspecify.annotations.NullMarked;
