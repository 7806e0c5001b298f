package dev.jgi.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgi.gateway.EnvironBuilder;
import dev.jgi.gateway.RequestRejectedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared {@link EnvironBuilder} and the validator must agree: every environ the builder
 * produces for an accepted request passes the environ rules, and what would break them is
 * rejected by the builder before an application runs.
 */
class EnvironAgreementTest {

    private static EnvironBuilder builder(String mount, String method, String target, String protocol, String host) {
        EnvironBuilder b = new EnvironBuilder(mount).method(method).target(target).protocol(protocol).scheme("http")
                .local(new InetSocketAddress("127.0.0.1", 8080)).remote("::ffff:10.0.0.1", 40000)
                .errors(new PrintWriter(new StringWriter()));
        if (!host.equals("-")) {
            b.header("Host", host);
        }
        return b.header("X_Forwarded_For", "spoofed").header("Cookie", "a=1").header("cookie", "b=2")
                .header("Transfer-Encoding", "chunked").header("Content-Type", "text/plain");
    }

    @ParameterizedTest(name = "{1} {2} {3} Host={4} mount={0}")
    @CsvSource(delimiter = '|', value = {
        "''     | GET     | /                          | HTTP/1.1 | example.com",
        "''     | GET     | /a/b/../c?x=1+2&y=%20      | HTTP/1.1 | example.com:8443",
        "''     | GET     | /?                         | HTTP/1.1 | example.com",
        "''     | GET     | //double//slash            | HTTP/1.1 | [::1]:9000",
        "''     | GET     | /caf%C3%A9;v=1/x           | HTTP/1.1 | [2001:db8::1]",
        "''     | GET     | http://other.example:81/p?q | HTTP/1.1 | example.com",
        "''     | GET     | /no-host                   | HTTP/1.0 | -",
        "''     | GET     | /empty-host                | HTTP/1.1 | ''",
        "''     | OPTIONS | *                          | HTTP/1.1 | example.com",
        "/app   | OPTIONS | *                          | HTTP/1.1 | example.com",
        "/app   | GET     | /app                       | HTTP/1.1 | example.com",
        "/app   | GET     | /app/                      | HTTP/2.0 | example.com",
        "/a b   | PROPFIND | /a%20b/x%25y              | HTTP/1.1 | example.com",
    })
    void everyAcceptedRequestGivesAValidEnviron(String mount, String method, String target, String protocol, String host)
            throws Exception {
        Map<String, Object> env = builder(mount, method, target, protocol, host).build();
        assertDoesNotThrow(() -> EnvironChecks.check(env), env::toString);
    }

    @ParameterizedTest(name = "Host={0}")
    @CsvSource({"':8080'", "':'"})
    void aHostWithAnEmptyNameIsRejectedBeforeItReachesTheEnviron(String host) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class,
                () -> builder("", "GET", "/", "HTTP/1.1", host).build());
        assertEquals(400, e.status());
    }
}
