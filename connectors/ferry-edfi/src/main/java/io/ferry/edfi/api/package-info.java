/** The Ed-Fi API over HTTP: URL discovery, OAuth tokens, bounded concurrent requests with retries. */
@NullMarked
package io.ferry.edfi.api;

import org.jspecify.annotations.NullMarked;
