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
        return new PrintWriter(new LoggerWriter(logger, level), false);
    }

    /**
     * Returns a writer that logs to the logger named {@code "dev.jgi"} at ERROR.
     *
     * @return the writer
     */
    public static PrintWriter toDefaultLogger() {
        return toLogger(System.getLogger("dev.jgi"), System.Logger.Level.ERROR);
    }

    private static final class LoggerWriter extends Writer {
        private static final int MAX = 64 * 1024;
        private final System.Logger logger;
        private final System.Logger.Level level;
        private final StringBuilder buf = new StringBuilder();

        LoggerWriter(System.Logger logger, System.Logger.Level level) {
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
