/**
 * An in-process test client for JGI applications: {@link dev.jgi.testing.TestClient} runs an
 * application through the same environ translation and response engine as every JGI server, on
 * an in-memory connection, and returns a {@link dev.jgi.testing.TestResponse} to assert on.
 */
package dev.jgi.testing;
