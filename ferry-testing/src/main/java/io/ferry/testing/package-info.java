/** Contract tests every connector's tests extend, and deterministic generators of test records and files. */
@NullMarked
package io.ferry.testing;

import org.jspecify.annotations.NullMarked;
