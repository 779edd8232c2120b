/**
 * An in-process Ed-Fi ODS/API 7.1 (data standard 5.0) test server: discovery, OAuth client credentials, metadata,
 * upsert by natural key with reference checks, paging, and injectable faults.
 */
@NullMarked
package io.ferry.testing.edfi;

import org.jspecify.annotations.NullMarked;
