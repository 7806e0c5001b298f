package dev.jgi.bench.server.servlet;

import jakarta.servlet.Servlet;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.ee11.servlet.HttpOutput;

/**
 * Jetty 12 ee11 with the plain servlet; the file as one read-only mapping through Jetty's
 * {@code HttpOutput.sendContent} (Jetty has no sendfile; this is its zero-copy form).
 */
public final class JettyServletNative extends JettyServletBase {

    /** Creates the variant. */
    public JettyServletNative() {
    }

    @Override
    protected Servlet servlet() {
        return new PlainServlet((req, resp, file) -> {
            if (!(resp.getOutputStream() instanceof HttpOutput)) {
                PlainServlet.copy(req, resp, file);
                return;
            }
            MappedByteBuffer map;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            }
            resp.setContentLengthLong(map.remaining());
            ((HttpOutput) resp.getOutputStream()).sendContent(map);
        });
    }
}
