package dev.jgi.gateway;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * The standard {@code jgi.errors}: a {@link PrintWriter} whose output becomes records of a
 * {@link System.Logger}, one record per {@code flush()}, so that a stack trace printed and then
 * flushed stays one log entry. A single instance serves every request of a server; writes from
 * concurrent requests are serialised by the PrintWriter's lock.
 */
public final class ErrorStream {

    private ErrorStream() {
    }

    /**
     * Returns a writer that logs to {@code logger} at {@code level}.
     *
     * @param logger the logger
     * @param level the level of each record
     * @return the writer
     */
    public static PrintWriter toLogger(System.Logger logger, System.Logger.Level level) {
        java.util.Objects.requireNonNull(logger, "logger");
        return new PrintWriter(new LoggerWriter(null, logger, level), false);
    }

    /**
     * Returns a writer that logs to the logger named {@code "dev.jgi"} at ERROR.
     *
     * @return the writer
     */
    public static PrintWriter toDefaultLogger() {
        return toLogger("dev.jgi", System.Logger.Level.ERROR);
    }

    /**
     * Returns a writer that logs to the {@link System#getLogger(String) platform logger} named
     * {@code name} at {@code level}, looked up when the first record is written.
     *
     * @param name the logger's name
     * @param level the level of each record
     * @return the writer
     */
    public static PrintWriter toLogger(String name, System.Logger.Level level) {
        java.util.Objects.requireNonNull(name, "name");
        // looked up on the first record, not here: finding the platform's logger initialises the
        // logging backend (about 20 ms on JDK 17), which a server that never logs should not pay at startup
        return new PrintWriter(new LoggerWriter(name, null, level), false);
    }

    private static final class LoggerWriter extends Writer {
        private static final int MAX = 64 * 1024;
        private final String name;
        private final System.Logger.Level level;
        private final StringBuilder buf = new StringBuilder();
        private System.Logger logger; // guarded by lock; null until the first record when named

        LoggerWriter(String name, System.Logger logger, System.Logger.Level level) {
            this.name = name;
            this.logger = logger;
            this.level = level;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            synchronized (lock) {
                buf.append(cbuf, off, len);
                if (buf.length() > MAX) {
                    flush(); // an application that never flushes must not grow this without bound
                }
            }
        }

        @Override
        public void flush() {
            synchronized (lock) {
                int end = buf.length();
                while (end > 0 && (buf.charAt(end - 1) == '\n' || buf.charAt(end - 1) == '\r')) {
                    end--;
                }
                if (end > 0) {
                    if (logger == null) {
                        logger = System.getLogger(name);
                    }
                    logger.log(level, buf.substring(0, end));
                }
                buf.setLength(0);
            }
        }

        @Override
        public void close() {
            flush(); // the server owns this stream; closing it only flushes
        }
    }
}
