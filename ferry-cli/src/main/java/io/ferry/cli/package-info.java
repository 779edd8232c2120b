/** The ferry command line: one class per command, thin over ferry-core and the connectors. */
@NullMarked
package io.ferry.cli;

import org.jspecify.annotations.NullMarked;
