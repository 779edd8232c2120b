/** S3 and S3-compatible buckets as an archive object store, written with streamed multipart uploads in bounded memory. */
@NullMarked
package io.ferry.s3;

import org.jspecify.annotations.NullMarked;
