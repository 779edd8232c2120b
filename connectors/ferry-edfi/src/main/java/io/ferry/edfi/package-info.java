/** A lightbeam-compatible Ed-Fi API client: the error codes shared by its packages. */
@NullMarked
package io.ferry.edfi;

import org.jspecify.annotations.NullMarked;
