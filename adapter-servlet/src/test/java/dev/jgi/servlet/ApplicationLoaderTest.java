package dev.jgi.servlet;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationLoaderTest {
    static final ClassLoader CL = ApplicationLoaderTest.class.getClassLoader();

    static String run(Application app) throws Exception {
        Map<String, Object> env = new HashMap<>(Map.of("SCRIPT_NAME", "", "PATH_INFO", "/"));
        Body b = app.call(env, (s, h, e) -> d -> { });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : b) {
            out.write(c);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void classWithNoArgConstructor() throws Exception {
        Application app = ApplicationLoader.load(SampleApps.Hello.class.getName(), CL);
        assertInstanceOf(SampleApps.Hello.class, app);
    }

    @Test
    void singleStaticFactory() throws Exception {
        assertTrue(run(ApplicationLoader.load(SampleApps.Factory.class.getName(), CL)).startsWith("factory "));
    }

    @Test
    void namedFactoryMethod() throws Exception {
        assertTrue(run(ApplicationLoader.load(SampleApps.TwoFactories.class.getName() + "#second", CL)).startsWith("second "));
    }

    @Test
    void clearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApplicationLoader.load("com.example.Missing", CL));
        assertTrue(e.getMessage().contains("com.example.Missing") && e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ApplicationLoader.load(SampleApps.TwoFactories.class.getName(), CL));
        assertTrue(e.getMessage().contains("#method"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ApplicationLoader.load(SampleApps.NotAnApp.class.getName(), CL));
        assertTrue(e.getMessage().contains("neither an Application"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ApplicationLoader.load(SampleApps.Factory.class.getName() + "#nope", CL));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ApplicationLoader.load(" ", CL));
        assertTrue(e.getMessage().contains(JgiServlet.APPLICATION_PARAM), e.getMessage());
    }

    @Test
    void noServiceEntryMeansNoApplication() {
        assertNull(ApplicationLoader.fromServiceLoader(new ClassLoader(null) { }));
    }
}
