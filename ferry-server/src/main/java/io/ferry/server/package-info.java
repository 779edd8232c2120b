/**
 * ferry serve: jobs behind an HTTP API. {@link io.ferry.server.JobKind} is what a kind of job
 * (export, import, database tasks) implements; {@link io.ferry.server.JobRegistry} runs, pauses,
 * resumes, cancels and persists jobs; {@link io.ferry.server.ApiServer} serves the API, the
 * metrics, the OpenAPI document and the dashboard.
 */
@NullMarked
package io.ferry.server;

import org.jspecify.annotations.NullMarked;
