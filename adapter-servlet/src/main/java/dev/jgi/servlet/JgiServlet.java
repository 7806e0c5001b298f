package dev.jgi.servlet;

import dev.jgi.Application;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.gateway.ErrorStream;
import dev.jgi.gateway.Gateway;
import dev.jgi.gateway.RequestRejectedException;
import dev.jgi.gateway.Threads;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Hosts a JGI {@link Application} in any Servlet 6 container (Tomcat 11, Jetty 12 ee11, ...).
 *
 * <p>Every request the servlet is mapped to is translated through core's shared gateway:
 * SCRIPT_NAME is the decoded context path plus the mapping prefix ({@code /app} for
 * {@code /app/*}, {@code ""} for {@code /*}), PATH_INFO is cut by core from the raw request URI,
 * the request body streams from the container, and the response streams back with one flush per
 * chunk. Map it at {@code /*} or {@code /prefix/*}, with async support on (needed only for
 * {@link Mode#ASYNC}, harmless otherwise).
 *
 * <p>Three ways to deploy it (details in the module README):
 * <ol>
 *   <li>{@code web.xml}, portable to every container:
 *       <pre>{@code
 * <servlet>
 *   <servlet-name>app</servlet-name>
 *   <servlet-class>dev.jgi.servlet.JgiServlet</servlet-class>
 *   <init-param><param-name>dev.jgi.application</param-name><param-value>com.example.MyApp</param-value></init-param>
 *   <async-supported>true</async-supported>
 * </servlet>
 * <servlet-mapping><servlet-name>app</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
 * }</pre></li>
 *   <li>No servlet declaration at all: a {@code dev.jgi.application} context parameter, or a
 *       {@code META-INF/services/dev.jgi.Application} entry, and {@link JgiInitializer} mounts the
 *       application at {@code /*} (containers that run {@code ServletContainerInitializer}s).</li>
 *   <li>Code: {@code JgiServlet.register(servletContext, "app", app, "/*")} from a
 *       {@code ServletContainerInitializer} or {@code ServletContextListener}, or
 *       {@code new JgiServlet(app)} handed to an embedded container.</li>
 * </ol>
 *
 * <p>Init parameters (servlet init-param, falling back to the context-param of the same name):
 * {@value #APPLICATION_PARAM}, {@value #MODE_PARAM} ({@code blocking} or {@code async}),
 * {@value #BODY_LIMIT_PARAM} (bytes; larger request bodies get 413).
 */
public class JgiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Init or context parameter naming the application: a class name, or {@code class#staticFactoryMethod}. */
    public static final String APPLICATION_PARAM = "dev.jgi.application";
    /** Init or context parameter choosing the {@link Mode}: {@code blocking} (default) or {@code async}. */
    public static final String MODE_PARAM = "dev.jgi.mode";
    /** Init or context parameter: the most request-body bytes the application may read; larger bodies get 413. */
    public static final String BODY_LIMIT_PARAM = "dev.jgi.body-limit";

    /** Request attribute carrying an abort from the application thread to the async dispatch that throws it. */
    static final String ABORT_ATTRIBUTE = "dev.jgi.servlet.abort";

    /**
     * Which thread runs the application.
     */
    public enum Mode {
        /**
         * On the container's request thread, inside {@code service()}: the container's thread
         * pool (and its virtual-thread option) decides concurrency. The default: it measured as
         * fast or faster on Tomcat and Jetty (see the module README) and is the simplest.
         */
        BLOCKING,
        /**
         * {@code startAsync()} with no timeout, the application on the servlet's own executor
         * (virtual threads when the JVM has them), then {@code complete()} exactly once. Frees
         * the container's thread while the application runs.
         */
        ASYNC
    }

    private transient Application app;
    private transient Gateway gateway;
    private transient Mode mode;
    private long bodyLimit = -1;
    private boolean bodyLimitSet;
    private transient PrintWriter errors;
    private transient ExecutorService executor;
    private transient boolean ownExecutor;
    private transient String serverSoftware;

    /**
     * Creates a servlet that loads its application from the {@value #APPLICATION_PARAM} init
     * parameter (or context parameter) when the container initialises it; the form a
     * {@code web.xml} uses.
     */
    public JgiServlet() {
    }

    /**
     * Creates a servlet hosting {@code app}.
     *
     * @param app the application
     */
    public JgiServlet(Application app) {
        this.app = Objects.requireNonNull(app, "app");
    }

    /**
     * Chooses the thread that runs the application; call before the container initialises the
     * servlet. Overrides the {@value #MODE_PARAM} parameter.
     *
     * @param mode the mode
     * @return this servlet
     */
    public JgiServlet mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Limits request bodies: a declared Content-Length above the limit is answered 413 before the
     * application runs, and {@code jgi.input} fails with 413 past it. Overrides the
     * {@value #BODY_LIMIT_PARAM} parameter.
     *
     * @param limit the limit in bytes, or {@code -1} for none (the default)
     * @return this servlet
     */
    public JgiServlet bodyLimit(long limit) {
        this.bodyLimit = limit < 0 ? -1 : limit;
        this.bodyLimitSet = true;
        return this;
    }

    /**
     * Sets {@code jgi.errors}; the default logs to the {@code System.Logger} named
     * {@code dev.jgi.servlet}, which goes to the container's log.
     *
     * @param errors the error stream, shared by all requests
     * @return this servlet
     */
    public JgiServlet errors(PrintWriter errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
        return this;
    }

    /**
     * Sets the executor that runs the application in {@link Mode#ASYNC}; the servlet does not shut
     * it down. The default is a virtual thread per request when the JVM has them, else a pool of
     * 200 platform threads, shut down in {@link #destroy()}.
     *
     * @param executor the executor
     * @return this servlet
     */
    public JgiServlet executor(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Registers a servlet hosting {@code app} on a context that is still being initialised: call it
     * from a {@code ServletContainerInitializer} or {@code ServletContextListener.contextInitialized}.
     * Async support is switched on.
     *
     * @param context the servlet context
     * @param name the servlet name, unique in the context
     * @param app the application
     * @param urlPatterns the mappings, {@code "/*"} if none are given; use {@code /*} or {@code /prefix/*}
     * @return the registration, for further settings
     * @throws IllegalStateException if the name or a mapping is already taken
     */
    public static ServletRegistration.Dynamic register(ServletContext context, String name, Application app, String... urlPatterns) {
        return register(context, name, new JgiServlet(app), urlPatterns);
    }

    /**
     * Registers a configured servlet; see {@link #register(ServletContext, String, Application, String...)}.
     *
     * @param context the servlet context
     * @param name the servlet name, unique in the context
     * @param servlet the servlet
     * @param urlPatterns the mappings, {@code "/*"} if none are given
     * @return the registration
     * @throws IllegalStateException if the name or a mapping is already taken
     */
    public static ServletRegistration.Dynamic register(ServletContext context, String name, JgiServlet servlet, String... urlPatterns) {
        ServletRegistration.Dynamic reg = context.addServlet(name, servlet);
        if (reg == null) {
            throw new IllegalStateException("a servlet named \"" + name + "\" is already registered in " + context.getContextPath());
        }
        reg.setAsyncSupported(true);
        reg.setLoadOnStartup(1); // load the application at deployment, so a broken one fails the deployment, not a request
        Set<String> taken = reg.addMapping(urlPatterns.length == 0 ? new String[] {"/*"} : urlPatterns);
        if (!taken.isEmpty()) {
            throw new IllegalStateException("URL patterns already mapped to another servlet: " + taken);
        }
        return reg;
    }

    /** @return the application this servlet hosts, or {@code null} before {@link #init(ServletConfig)} loaded it */
    public Application application() {
        return app;
    }

    /** @return the mode in effect, or {@code null} before {@link #init(ServletConfig)} */
    public Mode currentMode() {
        return mode;
    }

    /**
     * Loads the application named by {@value #APPLICATION_PARAM} (unless one was given to the
     * constructor) and reads the other parameters.
     *
     * @throws ServletException if the application cannot be loaded or a parameter is invalid; the
     *     message says which and why
     */
    @Override
    public void init() throws ServletException {
        ServletContext ctx = getServletContext();
        if (app == null) {
            String spec = parameter(APPLICATION_PARAM);
            try {
                app = ApplicationLoader.load(spec, ctx.getClassLoader());
            } catch (IllegalArgumentException e) {
                throw new ServletException("servlet " + getServletName() + ": " + e.getMessage(), e);
            }
        }
        if (mode == null) {
            String m = parameter(MODE_PARAM);
            if (m == null || m.isBlank()) {
                mode = Mode.BLOCKING;
            } else {
                try {
                    mode = Mode.valueOf(m.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ServletException("servlet " + getServletName() + ": " + MODE_PARAM + " must be blocking or async, got \"" + m + "\"");
                }
            }
        }
        if (!bodyLimitSet) {
            String l = parameter(BODY_LIMIT_PARAM);
            if (l != null && !l.isBlank()) {
                try {
                    bodyLimit = Long.parseLong(l.trim());
                } catch (NumberFormatException e) {
                    throw new ServletException("servlet " + getServletName() + ": " + BODY_LIMIT_PARAM + " must be a number of bytes, got \"" + l + "\"");
                }
            }
        }
        if (errors == null) {
            errors = ErrorStream.toLogger("dev.jgi.servlet", System.Logger.Level.ERROR);
        }
        if (mode == Mode.ASYNC && executor == null) {
            ExecutorService vt = Threads.newVirtualThreadPerTaskExecutor();
            executor = vt != null ? vt : Threads.newPlatformPool("jgi-servlet", 200);
            ownExecutor = true;
        }
        serverSoftware = ctx.getServerInfo();
        gateway = new Gateway(app, errors);
    }

    private String parameter(String name) {
        String v = getInitParameter(name);
        return v != null ? v : getServletContext().getInitParameter(name);
    }

    /** Shuts down the executor of async mode if the servlet created it. */
    @Override
    public void destroy() {
        if (ownExecutor && executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Serves one request, whatever its method, through the gateway.
     *
     * @param req the request
     * @param resp the response
     * @throws IOException when the response must be aborted after it was committed: the container
     *     then closes the connection without completing the body
     * @throws ServletException never in practice
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            Object cause = req.getAttribute(ABORT_ATTRIBUTE);
            if (cause instanceof Throwable) {
                req.removeAttribute(ABORT_ATTRIBUTE);
                throw new ResponseAbortedException((Throwable) cause);
            }
            return; // a dispatch we did not ask for: the application already answered
        }
        boolean head = "HEAD".equals(req.getMethod());
        Map<String, Object> environ;
        try {
            environ = ServletEnviron.build(req, errors, bodyLimit, serverSoftware);
        } catch (RequestRejectedException e) {
            ServletExchange ex = new ServletExchange(resp, null);
            gateway.reject(ex, e, req.getMethod(), req.getQueryString() == null ? req.getRequestURI()
                    : req.getRequestURI() + "?" + req.getQueryString());
            rethrowAbort(ex, resp);
            return;
        }
        if (mode == Mode.ASYNC && req.isAsyncSupported()) {
            serveAsync(req, resp, environ, head);
            return;
        }
        ServletExchange ex = new ServletExchange(resp, null, req);
        gateway.serve(environ, ex);
        rethrowAbort(ex, resp);
    }

    private void serveAsync(HttpServletRequest req, HttpServletResponse resp, Map<String, Object> environ, boolean head) {
        AsyncContext ac = req.startAsync(req, resp);
        ac.setTimeout(0); // no timeout: a long stream must not be cut off by the 30 s default
        ServletExchange ex = new ServletExchange(resp, ac);
        ac.addListener(ex);
        try {
            executor.execute(() -> {
                try {
                    gateway.serve(environ, ex);
                } finally {
                    ex.endAsync(ABORT_ATTRIBUTE);
                }
            });
        } catch (RejectedExecutionException e) {
            Gateway.reject(ex, 503, "the server is shutting down", head);
            ex.endAsync(ABORT_ATTRIBUTE);
        }
    }

    /**
     * Throws if the gateway aborted the response, so that the container breaks the connection.
     * A client that went away after commit needs nothing more: the container saw the failed write.
     */
    private static void rethrowAbort(ServletExchange ex, HttpServletResponse resp) throws IOException {
        Throwable cause = ex.abortCause();
        if (cause == null) {
            return;
        }
        if (cause instanceof ClientDisconnectedException && resp.isCommitted()) {
            return;
        }
        throw new ResponseAbortedException(cause);
    }

    /**
     * Thrown out of {@code service()} to make the container abort a committed response. It carries
     * no stack trace and no cause: the gateway already logged the reason on {@code jgi.errors}, and
     * the container logs this one line.
     */
    static final class ResponseAbortedException extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseAbortedException(Throwable cause) {
            super("JGI response aborted (" + cause.getClass().getName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "); details on jgi.errors");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
