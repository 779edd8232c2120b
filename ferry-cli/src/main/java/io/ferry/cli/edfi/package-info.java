/** {@code ferry edfi}: the lightbeam-compatible Ed-Fi commands, thin over ferry-edfi. */
@NullMarked
package io.ferry.cli.edfi;

import org.jspecify.annotations.NullMarked;
