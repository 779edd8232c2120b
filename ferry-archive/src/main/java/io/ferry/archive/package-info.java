/** The archive sink, source and verifier, over any {@link io.ferry.archive.store.ObjectStore}. */
@NullMarked
package io.ferry.archive;

import org.jspecify.annotations.NullMarked;
