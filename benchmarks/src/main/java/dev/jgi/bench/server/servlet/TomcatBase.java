package dev.jgi.bench.server.servlet;

import dev.jgi.bench.server.BenchServer;
import jakarta.servlet.Servlet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The one embedded Tomcat 11 assembly both Tomcat variants use: an NIO HTTP/1.1 connector with
 * {@link BenchServer#WORKER_THREADS} threads, unlimited keep-alive requests (as the TechEmpower entry
 * sets it; Tomcat's default closes every 100th), a root context without web.xml, the servlet at
 * {@code /*}. Only the servlet differs.
 */
public abstract class TomcatBase implements BenchServer {

    private Tomcat tomcat;
    private Path base;

    /** Creates the variant. */
    protected TomcatBase() {
    }

    /** @return the servlet of this variant */
    protected abstract Servlet servlet();

    @Override
    public int start(String host, int port) throws Exception {
        base = Files.createTempDirectory("bench-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector c = new Connector("HTTP/1.1");
        c.setPort(port);
        c.setProperty("address", host);
        c.setProperty("maxThreads", Integer.toString(WORKER_THREADS));
        c.setProperty("minSpareThreads", "8");
        c.setProperty("maxKeepAliveRequests", "-1");
        tomcat.getService().addConnector(c);
        tomcat.setConnector(c);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "bench", servlet()).setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "bench");
        tomcat.start();
        return c.getLocalPort();
    }

    @Override
    public void close() throws LifecycleException {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
