package dev.jgi.bench.server.servlet;

import jakarta.servlet.Servlet;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Tomcat 11 with the plain servlet; the file through Tomcat's sendfile request attributes (its
 * zero-copy path), the portable copy where the connector does not offer sendfile.
 */
public final class TomcatNative extends TomcatBase {

    /** Creates the variant. */
    public TomcatNative() {
    }

    @Override
    protected Servlet servlet() {
        return new PlainServlet((req, resp, file) -> {
            if (!Boolean.TRUE.equals(req.getAttribute("org.apache.tomcat.sendfile.support"))) {
                PlainServlet.copy(req, resp, file);
                return;
            }
            long size;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                size = ch.size();
            }
            resp.setContentLengthLong(size);
            req.setAttribute("org.apache.tomcat.sendfile.filename", file.toAbsolutePath().toString());
            req.setAttribute("org.apache.tomcat.sendfile.start", 0L);
            req.setAttribute("org.apache.tomcat.sendfile.end", size);
        });
    }
}
