package dev.jgi.validate;

import static dev.jgi.validate.Fixture.bytes;
import static dev.jgi.validate.Fixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.ClientDisconnectedException;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.gateway.BodyInput;
import dev.jgi.gateway.RequestBodyTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the validator reports, and what it leaves alone. */
class ValidatorBehaviourTest {

    @Test
    void secondCloseThrowsFromCloseIsPrintedOnJgiErrorsAndDoesNotCloseTheBodyAgain() throws Exception {
        Fixture f = Fixture.get();
        AtomicInteger closes = new AtomicInteger();
        Body body = Validator.wrap((env, start) -> {
            start.start("200 OK", text());
            return Body.from(List.of(bytes("x")), closes::incrementAndGet);
        }).call(f.environ, new Fixture.Direct());
        body.iterator().forEachRemaining(c -> { });
        body.close();
        assertEquals("", f.log.toString());
        ValidationError e = assertThrows(ValidationError.class, body::close);
        assertEquals("server.close-once", e.rule());
        assertEquals(1, closes.get(), "the application's close() ran once");
        assertTrue(f.log.toString().contains("[jgi.validate] GET /hello?x=1: [server.close-once] server broke rule"), f.log.toString());
    }

    @Test
    void serverViolationsDuringIterationArePrintedOnJgiErrorsToo() throws Exception {
        Fixture f = Fixture.get();
        Body body = Validator.wrap(Fixture.hello("x")).call(f.environ, new Fixture.Direct());
        body.iterator();
        assertThrows(ValidationError.class, body::iterator);
        assertTrue(f.log.toString().contains("[server.iterate-once] server broke rule"), f.log.toString());
    }

    @Test
    void applicationViolationsAreNotPrintedBecauseTheServerLogsWhatItIsThrown() {
        Fixture f = Fixture.get();
        assertThrows(ValidationError.class, () -> f.direct((env, start) -> {
            start.start("2000 OK", text());
            return Body.empty();
        }));
        assertEquals("", f.log.toString());
    }

    @Test
    void catchExceptionInTheApplicationDoesNotSwallowAViolation() {
        ValidationError e = assertThrows(ValidationError.class, () -> Fixture.get().direct((env, start) -> {
            try {
                start.start("200 OK", List.of(Header.of("Transfer-Encoding", "chunked")));
            } catch (Exception swallowed) {
                start.start("200 OK", text());
            }
            return Body.empty();
        }));
        assertInstanceOf(AssertionError.class, e);
        assertEquals("start.hop-by-hop", e.rule());
        assertTrue(e.getMessage().contains("Transfer-Encoding"), "names the offending value: " + e.getMessage());
        assertInstanceOf(dev.jgi.ProtocolException.class, e.getCause(), "converted from ResponseRules' check");
    }

    @Test
    void checkedExcInfoReachesTheApplicationUnchanged() {
        Exception checked = new Exception("checked, not wrapped");
        Exception seen = assertThrows(Exception.class, () -> Fixture.get().direct((env, start) -> {
            start.start("200 OK", text()).write(bytes("x"));
            start.start("500 Internal Server Error", text(), checked);
            return Body.empty();
        }));
        assertSame(checked, seen);
    }

    @Test
    void excInfoOnTheFirstCallIsFine() throws Exception {
        Fixture.Direct d = Fixture.get().direct((env, start) -> {
            start.start("500 Internal Server Error", text(), new IllegalStateException("failed before any start"));
            return Body.ofUtf8("sorry");
        });
        assertEquals("500 Internal Server Error", d.status);
    }

    @Test
    void errorsWritesReachTheServersWriterAndKeepItsFlushBoundaries() throws Exception {
        Fixture f = Fixture.get();
        f.direct((env, start) -> {
            PrintWriter errors = Environ.of(env).errors();
            errors.print("part one, ");
            errors.println("part two");
            errors.flush();
            assertFalse(errors.checkError());
            start.start("200 OK", text());
            return Body.empty();
        });
        assertEquals("part one, part two" + System.lineSeparator(), f.log.toString());
    }

    @Test
    void environValuesOtherThanTheStreamsArePassedUnchanged() throws Exception {
        Fixture f = Fixture.get();
        Map<String, Object> before = new java.util.HashMap<>(f.environ);
        f.direct((env, start) -> {
            assertSame(f.environ, env, "the same map, as the server made it");
            for (Map.Entry<String, Object> e : before.entrySet()) {
                if (!e.getKey().equals(Environ.JGI_INPUT) && !e.getKey().equals(Environ.JGI_ERRORS)) {
                    assertSame(e.getValue(), env.get(e.getKey()), e.getKey());
                }
            }
            assertEquals(before.keySet(), env.keySet());
            start.start("200 OK", text());
            return Body.empty();
        });
    }

    @Test
    void aBodyTooLargeOrAClientGoneIsNotBlamedOnTheServer() throws Exception {
        // chunked body over a limit: 413 exception, then end-of-stream
        Fixture tooLarge = Fixture.of(Fixture.builder("POST", "/up").header("Transfer-Encoding", "chunked")
                .input(BodyInput.of(new ByteArrayInputStream(new byte[100]), -1, true, 10, null)));
        tooLarge.direct(readTwice(RequestBodyTooLargeException.class));
        // declared 100, client sends 5 and goes: ClientDisconnectedException, then end-of-stream
        Fixture gone = Fixture.of(Fixture.builder("POST", "/up").header("Content-Length", "100")
                .input(BodyInput.of(new ByteArrayInputStream(bytes("hello")), 100, false, -1, null)));
        gone.direct(readTwice(ClientDisconnectedException.class));
        assertEquals("", tooLarge.log.toString() + gone.log.toString());
    }

    private static Application readTwice(Class<? extends IOException> expected) {
        return (env, start) -> {
            InputStream in = Environ.of(env).input();
            assertThrows(expected, in::readAllBytes);
            assertEquals(-1, in.read());
            start.start("200 OK", text());
            return Body.empty();
        };
    }

    @Test
    void inputViolationIsPrintedOnJgiErrors() {
        Fixture f = Fixture.post(bytes("hello"));
        f.environ.put(Environ.JGI_INPUT, new ByteArrayInputStream(bytes("hello and more")));
        ValidationError e = assertThrows(ValidationError.class, () -> f.direct((env, start) -> {
            Environ.of(env).input().readAllBytes();
            start.start("200 OK", text());
            return Body.empty();
        }));
        assertEquals("input.read", e.rule());
        assertTrue(f.log.toString().contains("[input.read] server broke rule"), f.log.toString());
    }

    @Test
    void contentLengthIsNotJudgedWhenTheServerStopsEarly() throws Exception {
        // a server may stop before the end (client gone, HEAD): a short count then proves nothing
        Fixture f = Fixture.get();
        Body body = Validator.wrap((env, start) -> {
            start.start("200 OK", text(100));
            return Body.from(List.of(bytes("first"), bytes("second")), null);
        }).call(f.environ, new Fixture.Direct());
        Iterator<byte[]> it = body.iterator();
        it.hasNext();
        it.next();
        body.close();
        assertEquals("", f.log.toString());
    }

    @Test
    @dev.jgi.Covers("write.thread")
    void writeIsForTheCallOnlyNotBeforeIterationNorAfterClose() throws Exception {
        Fixture f = Fixture.get();
        dev.jgi.Write[] w = new dev.jgi.Write[1];
        Body body = Validator.wrap((env, start) -> {
            w[0] = start.start("200 OK", text());
            w[0].write(bytes("during the call"));
            return Body.empty();
        }).call(f.environ, new Fixture.Direct());
        ValidationError before = assertThrows(ValidationError.class, () -> w[0].write(bytes("before iteration")));
        assertEquals("write.thread", before.rule());
        assertTrue(before.getMessage().contains("after the application's call returned"), before.getMessage());
        body.close();
        ValidationError after = assertThrows(ValidationError.class, () -> w[0].write(bytes("after close")));
        assertEquals("write.thread", after.rule());
        assertTrue(after.getMessage().contains("after the server closed the body"), after.getMessage());
    }

    @Test
    void nullStartResponseIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Validator.wrap(Fixture.hello("x")).call(Fixture.get().environ, null));
        assertTrue(e.getMessage().contains("start_response"));
    }

    @Test
    void nullEnvironIsEnvironType() {
        ValidationError e = assertThrows(ValidationError.class,
                () -> Validator.wrap(Fixture.hello("x")).call(null, new Fixture.Direct()));
        assertEquals("environ.type", e.rule());
    }
}
