/** ferry serve: the command, and the job kinds that reuse the command line's export, import and db export. */
@NullMarked
package io.ferry.cli.serve;

import org.jspecify.annotations.NullMarked;
