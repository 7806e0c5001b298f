/**
 * Small helpers for JGI applications and middleware, after CPython's {@code wsgiref.util} and
 * {@code wsgiref.headers}: URL reconstruction ({@link dev.jgi.util.Urls}), path traversal
 * ({@link dev.jgi.util.PathInfo}), query parsing ({@link dev.jgi.util.QueryString}) and an
 * ordered, case-insensitive response header list ({@link dev.jgi.util.Headers}).
 */
package dev.jgi.util;
