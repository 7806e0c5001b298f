package dev.jgi.servlet;

import dev.jgi.Application;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the application a deployment descriptor names, so that a WAR hosts a JGI application with
 * no code of its own.
 *
 * <p>The name is one of:
 * <ul>
 *   <li>{@code com.example.MyApp}: a class implementing {@link Application} with a public no-arg
 *       constructor; or a class with exactly one public static no-arg method returning an
 *       {@code Application} (a factory);</li>
 *   <li>{@code com.example.Apps#hello}: the public static no-arg method {@code hello} of that
 *       class, returning an {@code Application}.</li>
 * </ul>
 */
final class ApplicationLoader {

    private ApplicationLoader() {
    }

    /**
     * Loads and instantiates the application {@code spec} names.
     *
     * @param spec a class name, or {@code class#method} for a static factory method
     * @param loader the class loader of the web application; {@code null} means the thread's context
     *     class loader (a container that has no class loader of its own per context)
     * @return a new application instance
     * @throws IllegalArgumentException if the class or factory cannot be found or does not give an
     *     application; the message says what was wrong and what is expected
     */
    static Application load(String spec, ClassLoader loader) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no application named: set " + JgiServlet.APPLICATION_PARAM
                    + " to a class name (or class#factoryMethod)");
        }
        String s = spec.trim();
        int hash = s.indexOf('#');
        String className = hash < 0 ? s : s.substring(0, hash);
        String methodName = hash < 0 ? null : s.substring(hash + 1);
        Class<?> cls;
        try {
            cls = Class.forName(className, true, orDefault(loader));
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("JGI application class " + className
                    + " was not found on the web application's class path (" + e + ")", e);
        }
        if (methodName != null) {
            Method m;
            try {
                m = cls.getMethod(methodName);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(className + " has no public no-arg method " + methodName, e);
            }
            if (!Modifier.isStatic(m.getModifiers()) || !Application.class.isAssignableFrom(m.getReturnType())) {
                throw new IllegalArgumentException(className + "#" + methodName
                        + " must be a public static method with no parameters returning dev.jgi.Application");
            }
            return invoke(m, spec);
        }
        if (Application.class.isAssignableFrom(cls)) {
            try {
                Constructor<?> c = cls.getConstructor();
                return (Application) c.newInstance();
            } catch (NoSuchMethodException e) {
                // fall through to a factory method
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("the constructor of " + className + " failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot instantiate " + className + ": " + e, e);
            }
        }
        List<Method> factories = new ArrayList<>();
        for (Method m : cls.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && Application.class.isAssignableFrom(m.getReturnType())) {
                factories.add(m);
            }
        }
        if (factories.size() == 1) {
            return invoke(factories.get(0), spec);
        }
        if (factories.isEmpty()) {
            throw new IllegalArgumentException(className + " is neither an Application with a public no-arg constructor"
                    + " nor a class with a public static no-arg method returning an Application");
        }
        throw new IllegalArgumentException(className + " has " + factories.size()
                + " static factory methods returning an Application; name one as " + className + "#method");
    }

    /**
     * Finds the application a {@code META-INF/services/dev.jgi.Application} entry names.
     *
     * @param loader the class loader of the web application, or {@code null} for the thread's context class loader
     * @return the application, or {@code null} if there is no entry
     * @throws IllegalArgumentException if there is more than one entry, or the entry cannot be loaded
     */
    static Application fromServiceLoader(ClassLoader loader) {
        Iterator<Application> it = ServiceLoader.load(Application.class, orDefault(loader)).iterator();
        try {
            if (!it.hasNext()) {
                return null;
            }
            Application app = it.next();
            if (it.hasNext()) {
                throw new IllegalArgumentException("more than one META-INF/services/dev.jgi.Application entry ("
                        + app.getClass().getName() + ", " + it.next().getClass().getName() + "); name one with the "
                        + JgiServlet.APPLICATION_PARAM + " context parameter");
            }
            return app;
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("the META-INF/services/dev.jgi.Application entry cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static ClassLoader orDefault(ClassLoader loader) {
        if (loader != null) {
            return loader;
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : ApplicationLoader.class.getClassLoader();
    }

    private static Application invoke(Method m, String spec) {
        try {
            Object app = m.invoke(null);
            if (app == null) {
                throw new IllegalArgumentException(spec + " returned null instead of an Application");
            }
            return (Application) app;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(spec + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot call " + spec + ": " + e, e);
        }
    }
}
