package dev.jgi.servlet;

import dev.jgi.Application;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.util.Set;

/**
 * Mounts a JGI application with no servlet declaration and no code: the container runs this
 * initializer (it is listed in the adapter jar's
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}), and it registers a
 * {@link JgiServlet} when the web application names an application:
 *
 * <ul>
 *   <li>the context parameter {@value JgiServlet#APPLICATION_PARAM} (a class name, or
 *       {@code class#staticFactoryMethod}), or else</li>
 *   <li>one {@code META-INF/services/dev.jgi.Application} entry on the web application's class path.</li>
 * </ul>
 *
 * <p>The servlet is named {@value #SERVLET_NAME}, mapped at the context parameter
 * {@value #MAPPING_PARAM} (default {@code /*}), with async support on; the other
 * {@link JgiServlet} parameters ({@value JgiServlet#MODE_PARAM}, {@value JgiServlet#BODY_LIMIT_PARAM})
 * are read from context parameters. Nothing is registered when the web application names no
 * application, or when its {@code web.xml} already declares a {@link JgiServlet}, so the adapter jar
 * can sit in any WAR.
 *
 * <p>Tomcat runs initializers by default. Jetty's {@code WebAppContext} runs them only when
 * {@code jetty-ee11-annotations} is on the server class path; the {@code web.xml} form works
 * everywhere.
 */
public final class JgiInitializer implements ServletContainerInitializer {

    /** The name of the registered servlet. */
    public static final String SERVLET_NAME = "jgi";
    /** Context parameter: the URL pattern to map the application at, default {@code /*}. */
    public static final String MAPPING_PARAM = "dev.jgi.mapping";

    /** Creates the initializer; the container does this. */
    public JgiInitializer() {
    }

    /**
     * Mounts the application the web application names, if any.
     *
     * @param classes unused (no {@code @HandlesTypes})
     * @param ctx the servlet context being started
     * @throws ServletException if the named application cannot be loaded or mounted, which fails the deployment
     */
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
        for (ServletRegistration r : ctx.getServletRegistrations().values()) {
            if (JgiServlet.class.getName().equals(r.getClassName())) {
                return; // web.xml (or code) already mounts JGI; don't mount a second copy
            }
        }
        ClassLoader loader = ctx.getClassLoader();
        Application app;
        try {
            String spec = ctx.getInitParameter(JgiServlet.APPLICATION_PARAM);
            app = spec != null ? ApplicationLoader.load(spec, loader) : ApplicationLoader.fromServiceLoader(loader);
        } catch (IllegalArgumentException e) {
            throw new ServletException("JGI: " + e.getMessage(), e);
        }
        if (app == null) {
            return;
        }
        String mapping = ctx.getInitParameter(MAPPING_PARAM);
        try {
            JgiServlet.register(ctx, SERVLET_NAME, app, mapping == null || mapping.isBlank() ? "/*" : mapping.trim());
        } catch (IllegalStateException e) {
            throw new ServletException("JGI: cannot mount " + app.getClass().getName() + ": " + e.getMessage(), e);
        }
        ctx.log("JGI: mounted " + app.getClass().getName() + " at " + ctx.getContextPath()
                + (mapping == null ? "/*" : mapping));
    }
}
