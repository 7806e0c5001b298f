package dev.jgi.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw HTTP/1.x client over one socket, for requests java.net.http.HttpClient will not send
 * (malformed or unusual targets, HTTP/1.0, pipelining) and for looking at the exact framing of a
 * response: status line, header fields as sent, chunked or fixed body, and whether the connection
 * ended before the body was complete.
 */
final class RawHttp implements Closeable {

    /** Long enough never to fire on a healthy run; only there so that a broken server fails the test. */
    static final int TIMEOUT_MILLIS = 20_000;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawHttp connect(int port) throws IOException {
        return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Sends one request on a new connection and reads the response. */
    static Response exchange(int port, String request) throws IOException {
        try (RawHttp c = connect(port)) {
            c.send(request);
            return c.read(request.startsWith("HEAD "));
        }
    }

    /** Sends {@code GET target} with Host and Connection: close, and reads the response. */
    static Response get(int port, String target) throws IOException {
        return exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads a response to a request that was not HEAD. */
    Response read() throws IOException {
        return read(false);
    }

    /** Reads one whole response; interim (1xx) responses are skipped but recorded. */
    Response read(boolean head) throws IOException {
        Response r = readHead();
        while (r.status >= 100 && r.status < 200) {
            List<String> interim = new ArrayList<>(r.interim);
            interim.add(r.statusLine);
            r = readHead();
            r.interim.addAll(interim);
        }
        readBody(r, head);
        return r;
    }

    /** Reads a status line and header fields. */
    Response readHead() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new EOFException("connection closed before a status line");
        }
        Response r = new Response(status);
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            r.headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
        }
        if (line == null) {
            throw new EOFException("connection closed inside the header section");
        }
        return r;
    }

    /** Reads the body of {@code r} according to its framing. */
    void readBody(Response r, boolean head) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        r.complete = true;
        if (head || r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200)) {
            r.body = new byte[0];
            return;
        }
        String te = r.header("Transfer-Encoding");
        String cl = r.header("Content-Length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            r.chunked = true;
            try {
                byte[] chunk;
                while ((chunk = readChunk()) != null) {
                    body.write(chunk);
                }
            } catch (EOFException e) {
                r.complete = false;
            }
        } else if (cl != null) {
            long n = Long.parseLong(cl);
            for (long i = 0; i < n; i++) {
                int b = in.read();
                if (b < 0) {
                    r.complete = false;
                    break;
                }
                body.write(b);
            }
        } else {
            r.closeDelimited = true;
            in.transferTo(body);
        }
        r.body = body.toByteArray();
    }

    /**
     * Reads one chunk of a chunked body: its data, or {@code null} after the last chunk and the
     * trailer section.
     *
     * @throws EOFException if the connection ends inside the chunked body
     */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new EOFException("connection closed before the next chunk");
        }
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                // trailer field: ignored
            }
            if (line == null) {
                throw new EOFException("connection closed inside the trailer section");
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException("connection closed inside a chunk");
        }
        String crlf = readLine();
        if (crlf == null) {
            throw new EOFException("connection closed after chunk data");
        }
        return data;
    }

    /**
     * Returns whether the server has closed the connection, waiting up to the normal timeout for
     * it. Fails if any data arrives instead.
     */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("unexpected byte after the response: " + b);
            }
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    /**
     * Returns whether any byte arrives within {@code millis}. Used only to show the absence of
     * data the server must not have sent yet; whatever it did send is on loopback long before.
     */
    boolean anyDataWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            int b = in.read();
            if (b >= 0) {
                in.reset();
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    /** Reads a line ending in LF (CR stripped), as ISO-8859-1; {@code null} at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length;
                if (n > 0 && bytes[n - 1] == '\r') {
                    n--;
                }
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Closes the connection with a reset (SO_LINGER 0), as a client that gives up does. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One response as received. */
    static final class Response {
        final String statusLine;
        final int status;
        final List<String[]> headers = new ArrayList<>();
        final List<String> interim = new ArrayList<>();
        byte[] body;
        /** Whether the body framing ended properly (last chunk, or Content-Length bytes). */
        boolean complete;
        boolean chunked;
        boolean closeDelimited;

        Response(String statusLine) {
            this.statusLine = statusLine;
            this.status = Integer.parseInt(statusLine.substring(9, 12));
        }

        /** The first value of a header, any case, or null. */
        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        /** Every value of a header, any case, in order. */
        List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    out.add(h[1]);
                }
            }
            return out;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(statusLine).append('\n');
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append('\n');
            }
            return sb.append('\n').append(body == null ? "" : text()).toString();
        }
    }
}
