/** The archive's on-disk format: object names, compression, JSON envelopes and manifests. */
@NullMarked
package io.ferry.archive.format;

import org.jspecify.annotations.NullMarked;
