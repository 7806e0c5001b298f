package dev.jgi.jetty;

import dev.jgi.Application;
import dev.jgi.Environ;
import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.FileBody;
import dev.jgi.gateway.Gateway;
import dev.jgi.gateway.RequestPath;
import dev.jgi.gateway.RequestRejectedException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Objects;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.URIUtil;

/**
 * A Jetty 12 core {@link Handler} that serves a JGI application, without the servlet layer.
 *
 * <p>Mount it like any handler; SCRIPT_NAME is the decoded context path of the enclosing
 * {@link org.eclipse.jetty.server.handler.ContextHandler} ({@code ""} at the root):
 *
 * <pre>{@code
 * ContextHandler context = new ContextHandler(new JgiHandler(app), "/app");
 * context.setAllowNullPathInContext(true); // "/app" itself reaches the application
 * server.setHandler(context);
 * }</pre>
 *
 * <p>The handler is blocking ({@link InvocationType#BLOCKING}): the application runs on a thread
 * of Jetty's pool that may block, or on a virtual thread when the pool is configured with a
 * virtual-thread executor. PATH_INFO is cut by core's path policy from the raw path, so configure
 * the connector's URI compliance with {@link JettyServer#uriCompliance()} or Jetty answers 400 to
 * some paths before the application runs. {@link JettyServer} assembles all of this.
 */
public class JgiHandler extends Handler.Abstract {

    private final Gateway gateway;
    private final long bodyLimit;
    private final PrintWriter errors;
    private final String fixedScriptName;
    private final String serverSoftware = "Jetty/" + Server.getVersion();

    /**
     * Serves {@code app} with no request-body limit, logging to the {@code dev.jgi} logger.
     *
     * @param app the application
     */
    public JgiHandler(Application app) {
        this(app, -1, null);
    }

    /**
     * Serves {@code app}.
     *
     * @param app the application
     * @param bodyLimit the most request-body bytes the application may read, or {@code -1} for no
     *     limit; a declared Content-Length over it is answered 413 before the application runs
     * @param errors the {@code jgi.errors} stream shared by all requests, or {@code null} for the
     *     {@code dev.jgi} logger
     */
    public JgiHandler(Application app, long bodyLimit, PrintWriter errors) {
        this(app, bodyLimit, errors, null);
    }

    /**
     * @param fixedScriptName SCRIPT_NAME to use instead of the Jetty context path, or {@code null}
     */
    JgiHandler(Application app, long bodyLimit, PrintWriter errors, String fixedScriptName) {
        super(InvocationType.BLOCKING);
        this.errors = errors != null ? errors : ErrorStream.toDefaultLogger();
        this.gateway = new Gateway(Objects.requireNonNull(app, "app"), this.errors);
        this.bodyLimit = bodyLimit;
        this.fixedScriptName = fixedScriptName;
    }

    /** @return the application this handler serves */
    public Application application() {
        return gateway.application();
    }

    /**
     * Serves one request on the calling thread and completes {@code callback} before returning.
     *
     * @return always {@code true}: every request that reaches this handler is answered by it
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        JettyChannel channel = new JettyChannel(request, response, callback,
                request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1);
        try {
            HashMap<String, Object> environ;
            try {
                environ = environ(request);
            } catch (RequestRejectedException e) {
                gateway.reject(channel, e, request.getMethod(), request.getHttpURI().getPathQuery());
                return true;
            }
            gateway.serve(environ, channel);
        } catch (Throwable t) {
            // The gateway never throws; this guards the environ code and errors such as OOM, so
            // that Jetty's callback is completed on every path.
            log(request, "adapter failure", t);
            channel.abort(t);
        } finally {
            channel.ensureCompleted();
        }
        return true;
    }

    private void log(Request request, String message, Throwable t) {
        synchronized (errors) {
            errors.println("[jgi] " + request.getMethod() + " " + request.getHttpURI().getPathQuery() + ": " + message);
            if (t != null) {
                t.printStackTrace(errors);
            }
            errors.flush();
        }
    }

    /** Translates Jetty's raw request facts through core's shared environ builder. */
    private HashMap<String, Object> environ(Request request) throws RequestRejectedException {
        String scriptName = fixedScriptName != null ? fixedScriptName : scriptName(request);
        HttpURI uri = request.getHttpURI();
        ConnectionMetaData meta = request.getConnectionMetaData();
        HttpVersion version = meta.getHttpVersion();

        EnvironBuilder b = new EnvironBuilder(scriptName)
                .method(request.getMethod())
                .protocol(version.asString())
                .scheme(request.isSecure() ? "https" : "http");
        String rawPath = uri.getPath();
        if ("*".equals(rawPath)) {
            b.asterisk();
        } else {
            b.path(rawPath, uri.getQuery());
        }

        String host = null;
        for (HttpField f : request.getHeaders()) {
            if (host == null && f.getHeader() == HttpHeader.HOST) {
                host = f.getValue();
            }
            b.header(f.getName(), f.getValue());
        }

        InetSocketAddress local = inet(meta.getLocalSocketAddress());
        b.local(local).remote(inet(meta.getRemoteSocketAddress()));
        if (uri.getHost() != null && isAbsoluteForm(uri, host, local)) {
            // RFC 9112 3.2.2: the authority of an absolute-form target wins over Host
            b.authority(uri.getAuthority());
        }

        // Jetty sends 100 Continue itself when this stream first has to wait for content, which is
        // the application's first read: no hook needed
        b.body(() -> Content.Source.asInputStream(request), null);
        b.errors(errors).fileWrapper(FileBody.WRAPPER).bodyLimit(bodyLimit).put(Environ.SERVER_SOFTWARE, serverSoftware);
        return b.build();
    }

    /** SCRIPT_NAME from Jetty's context: the server context reports null, a root context "/". */
    static String scriptName(Request request) {
        String contextPath = Request.getContextPath(request);
        if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
            return "";
        }
        return RequestPath.normalizeMount(URIUtil.decodePath(contextPath));
    }

    private static InetSocketAddress inet(SocketAddress a) {
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    /**
     * Whether the target was in absolute form. Jetty keeps no flag for it: its URI carries the
     * target's authority in absolute form, and otherwise one it derived from Host (or, without Host,
     * from the local address), so a URI authority that is none of those came from the target.
     */
    static boolean isAbsoluteForm(HttpURI uri, String host, InetSocketAddress local) {
        if (host != null) {
            if (host.equals(uri.getAuthority())) {
                return false;
            }
            try {
                HostPort hp = new HostPort(host);
                int port = hp.getPort();
                if (port == HttpScheme.getDefaultPort(uri.getScheme())) {
                    port = -1;
                }
                // what Jetty derives from Host for an origin-form target
                return !(hp.getHost().equalsIgnoreCase(uri.getHost()) && port == uri.getPort());
            } catch (IllegalArgumentException e) {
                return true;
            }
        }
        return !isLocal(uri, local);
    }

    private static boolean isLocal(HttpURI uri, InetSocketAddress local) {
        if (local == null) {
            return false;
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String localHost = local.getAddress() == null ? local.getHostString() : EnvironBuilder.formatAddress(local.getAddress());
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equals(uri.getScheme()) ? 443 : 80;
        }
        return EnvironBuilder.normalizeAddress(host).equals(localHost) && port == local.getPort();
    }
}
