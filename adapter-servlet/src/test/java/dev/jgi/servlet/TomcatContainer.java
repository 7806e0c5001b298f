package dev.jgi.servlet;

import jakarta.servlet.Servlet;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat 11 with one programmatically added servlet. */
final class TomcatContainer extends Container {
    private final Tomcat tomcat;
    private final Path base;

    private TomcatContainer(Tomcat tomcat, Path base) {
        this.tomcat = tomcat;
        this.base = base;
    }

    static TomcatContainer start(Servlet servlet, String contextPath, String pattern) throws Exception {
        Path base = Files.createTempDirectory("jgi-tomcat");
        Tomcat t = new Tomcat();
        t.setBaseDir(base.toString());
        Connector c = t.getConnector();
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        configureConnector(c);
        Context ctx = t.addContext(contextPath, base.toString());
        ctx.setMapperContextRootRedirectEnabled(false);
        Wrapper w = Tomcat.addServlet(ctx, "jgi", servlet);
        w.setAsyncSupported(true);
        w.setLoadOnStartup(1);
        ctx.addServletMappingDecoded(pattern, "jgi");
        t.start();
        return new TomcatContainer(t, base);
    }

    /** The connector settings the README recommends for JGI. */
    static void configureConnector(Connector c) {
        c.setProperty("continueResponseTiming", "onRead"); // 100 Continue when the app reads jgi.input
    }

    Tomcat tomcat() {
        return tomcat;
    }

    @Override
    int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    String name() {
        return "tomcat-embedded";
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            deleteTree(base.toFile());
        }
    }

    static void deleteTree(File f) {
        File[] kids = f.listFiles();
        if (kids != null) {
            for (File k : kids) {
                deleteTree(k);
            }
        }
        f.delete();
    }
}
