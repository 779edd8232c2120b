/** JSONL files as a stream: a source reading lines of files or stdin, and a sink writing them back. */
@NullMarked
package io.ferry.files;

import org.jspecify.annotations.NullMarked;
