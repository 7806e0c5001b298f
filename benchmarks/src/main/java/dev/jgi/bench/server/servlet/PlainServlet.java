package dev.jgi.bench.server.servlet;

import dev.jgi.bench.app.Payloads;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The plain servlet both servlet containers run as their native baseline, written like the
 * TechEmpower servlet entries: pre-encoded arrays written once to the {@code ServletOutputStream}
 * with an exact Content-Length, a per-thread 64 KiB buffer for the echo. The file goes through the
 * container's own zero-copy path ({@link FileSender}): Tomcat's sendfile request attributes, Jetty's
 * {@code HttpOutput.sendContent} of a mapping.
 */
public final class PlainServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[Payloads.CHUNK_SIZE]);

    /** How a container sends a file best. */
    public interface FileSender {
        /**
         * Sends the whole file as the response body; Content-Type is set, Content-Length is not.
         *
         * @param req the request
         * @param resp the response
         * @param file the file
         * @throws IOException if sending failed
         */
        void send(HttpServletRequest req, HttpServletResponse resp, Path file) throws IOException;
    }

    private final transient FileSender fileSender;

    /**
     * @param fileSender the container's file path
     */
    public PlainServlet(FileSender fileSender) {
        this.fileSender = fileSender;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getRequestURI()) {
            case Payloads.HELLO_PATH:
                resp.setContentType(Payloads.TEXT_PLAIN);
                resp.setContentLength(Payloads.HELLO.length);
                resp.getOutputStream().write(Payloads.HELLO);
                return;
            case Payloads.JSON_PATH: {
                byte[] b = Payloads.json(Payloads.MESSAGE);
                resp.setContentType(Payloads.APPLICATION_JSON);
                resp.setContentLength(b.length);
                resp.getOutputStream().write(b);
                return;
            }
            case Payloads.ECHO_PATH: {
                long left = req.getContentLengthLong();
                resp.setContentType(Payloads.OCTET_STREAM);
                resp.setContentLengthLong(left);
                byte[] buf = BUFFER.get();
                InputStream in = req.getInputStream();
                ServletOutputStream out = resp.getOutputStream();
                // stop at Content-Length: once the last byte is written the container completes the
                // response and may close the request stream (Tomcat does), so no read for EOF
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new java.io.EOFException("request body ended early");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
                return;
            }
            case Payloads.STREAM_PATH: {
                resp.setContentType(Payloads.OCTET_STREAM);
                resp.setContentLength(Payloads.STREAM_SIZE);
                ServletOutputStream out = resp.getOutputStream();
                for (int i = 0; i < Payloads.STREAM_CHUNKS; i++) {
                    out.write(Payloads.CHUNK);
                }
                return;
            }
            case Payloads.FILE_PATH:
                resp.setContentType(Payloads.OCTET_STREAM);
                fileSender.send(req, resp, Payloads.file());
                return;
            default:
                resp.sendError(404);
        }
    }

    /**
     * The portable fallback: a per-thread 64 KiB buffer, read from the file channel and written.
     *
     * @param req the request
     * @param resp the response
     * @param file the file
     * @throws IOException if sending failed
     */
    static void copy(HttpServletRequest req, HttpServletResponse resp, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            resp.setContentLengthLong(size);
            byte[] buf = BUFFER.get();
            ByteBuffer bb = ByteBuffer.wrap(buf);
            ServletOutputStream out = resp.getOutputStream();
            long pos = 0;
            while (pos < size) {
                bb.clear();
                int n = ch.read(bb, pos);
                if (n < 0) {
                    throw new IOException("file shrank");
                }
                out.write(buf, 0, n);
                pos += n;
            }
        }
    }
}
