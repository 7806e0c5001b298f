package dev.jgi.conformance.http;

import dev.jgi.conformance.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A raw HTTP/1.x client connection over a plain socket, for the wire-level checks no ordinary
 * client can make: when headers arrive, whether a chunked body was terminated or cut off, interim
 * {@code 100 Continue} responses, chunked request bodies, malformed requests, keep-alive reuse and
 * abrupt disconnects.
 *
 * <p>Every byte sent and received is captured; closing the connection hands the capture to the
 * transcript sink as one {@link Exchange}. Reads time out after {@link #timeoutMillis()} (a liveness
 * bound, never a speed assertion), which surfaces as a {@link SocketTimeoutException}.
 */
public final class HttpConnection implements Closeable {

    /** The default read timeout: generous, for liveness only. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final Capture sentCapture = new Capture();
    private final Capture receivedCapture = new Capture();
    private final InputStream in;
    private final OutputStream out;
    private final String hostHeader;
    private final String title;
    private final Consumer<Exchange> sink;
    private final StringBuilder notes = new StringBuilder();
    private final int timeoutMillis;
    private boolean closed;

    private HttpConnection(Socket socket, String hostHeader, String title, Consumer<Exchange> sink, int timeoutMillis) throws IOException {
        this.socket = socket;
        this.hostHeader = hostHeader;
        this.title = title;
        this.sink = sink;
        this.timeoutMillis = timeoutMillis;
        InputStream raw = socket.getInputStream();
        this.in = new java.io.BufferedInputStream(new CapturingInput(raw, receivedCapture), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    /**
     * Opens a connection.
     *
     * @param host the host to connect to
     * @param port the port
     * @param hostHeader the Host value requests get unless they set their own
     * @param title what the connection is for, for the transcript
     * @param sink receives the transcript when the connection is closed; may be {@code null}
     * @param timeoutMillis the connect and read timeout
     * @return the connection
     * @throws IOException if the connection failed
     */
    public static HttpConnection open(String host, int port, String hostHeader, String title, Consumer<Exchange> sink,
            int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            return new HttpConnection(s, hostHeader, title, sink, timeoutMillis);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** @return the read timeout in milliseconds */
    public int timeoutMillis() {
        return timeoutMillis;
    }

    /** @return the underlying socket, for its local address and port */
    public Socket socket() {
        return socket;
    }

    /** @return the Host value this connection adds to requests */
    public String hostHeader() {
        return hostHeader;
    }

    /**
     * Adds an observation to the transcript.
     *
     * @param note the observation
     */
    public void note(String note) {
        if (notes.length() > 0) {
            notes.append('\n');
        }
        notes.append(note);
    }

    /**
     * Sends a whole request.
     *
     * @param r the request
     * @return this connection
     * @throws IOException if sending failed
     * @throws Request.HeadTooLargeException if its head is over {@link Request#HEAD_BUDGET}; nothing is sent
     */
    public HttpConnection send(Request r) throws IOException {
        checkBudget(r);
        return sendRaw(r.toBytes(hostHeader)); // one write: head and body arrive together, as most clients send them
    }

    private void checkBudget(Request r) {
        int size = r.headBytes(hostHeader).length;
        if (size > Request.HEAD_BUDGET) {
            throw new Request.HeadTooLargeException(r.toString(), size);
        }
    }

    /**
     * Sends only the head of a request (request line and headers).
     *
     * @param r the request
     * @return this connection
     * @throws IOException if sending failed
     * @throws Request.HeadTooLargeException if the head is over {@link Request#HEAD_BUDGET}; nothing is sent
     */
    public HttpConnection sendHead(Request r) throws IOException {
        checkBudget(r);
        return sendRaw(r.headBytes(hostHeader));
    }

    /**
     * Sends only the (framed) body of a request whose head was sent with {@link #sendHead}.
     *
     * @param r the request
     * @return this connection
     * @throws IOException if sending failed
     */
    public HttpConnection sendBody(Request r) throws IOException {
        return sendRaw(r.framedBody());
    }

    /**
     * Sends bytes verbatim.
     *
     * @param bytes the bytes
     * @return this connection
     * @throws IOException if sending failed
     */
    public HttpConnection sendRaw(byte[] bytes) throws IOException {
        sentCapture.add(bytes, 0, bytes.length);
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Sends text verbatim, encoded as ISO-8859-1 (one byte per char), for requests written out by
     * hand, malformed ones included.
     *
     * @param text the bytes to send, as ISO-8859-1 text
     * @return this connection
     * @throws IOException if sending failed
     */
    public HttpConnection sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends a request and reads its final response.
     *
     * @param r the request
     * @return the response
     * @throws IOException if the connection failed or timed out before a status line arrived
     */
    public Response exchange(Request r) throws IOException {
        send(r);
        return readResponse(r.method());
    }

    /**
     * Reads one response head, interim (1xx) or final.
     *
     * @return the head
     * @throws IOException if the connection ended or timed out before a complete head
     */
    public Response.Head readHead() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("the server closed the connection without sending a response");
        }
        // RFC 9112: a server should ignore, and a client may, empty lines before a message
        while (line.isEmpty()) {
            line = readLine();
            if (line == null) {
                throw new IOException("the server closed the connection without sending a response");
            }
        }
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || parts[1].length() != 3) {
            throw new IOException("malformed status line: " + line);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + line);
        }
        List<String[]> headers = new ArrayList<>();
        while (true) {
            String h = readLine();
            if (h == null) {
                throw new IOException("the server closed the connection inside the response head");
            }
            if (h.isEmpty()) {
                break;
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + h);
            }
            headers.add(new String[] {h.substring(0, colon), h.substring(colon + 1).trim()});
        }
        return new Response.Head(line, parts[0], status, parts.length > 2 ? parts[2] : "", headers);
    }

    /**
     * Reads the final response to a request, collecting interim responses, and its whole body.
     *
     * @param method the request method (a HEAD response has no body)
     * @return the response
     * @throws IOException if no final head arrived
     */
    public Response readResponse(String method) throws IOException {
        List<Response.Head> interim = new ArrayList<>();
        Response.Head head = readHead();
        while (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
            interim.add(head);
            head = readHead();
        }
        return readBody(head, interim, method);
    }

    /**
     * Reads the body belonging to {@code head}.
     *
     * @param head the final head
     * @param interim the interim heads seen before it
     * @param method the request method
     * @return the response
     * @throws IOException never for a cut-off body (that is reported in the response), only for
     *     a read timeout
     */
    public Response readBody(Response.Head head, List<Response.Head> interim, String method) throws IOException {
        BodyStream b = body(head, method);
        byte[] bytes = b.readAll();
        return new Response(head, interim, bytes, b.framing(), b.complete(), b.problem(), b.trailers());
    }

    /**
     * Opens the body of a response as a stream, for cases that read it piece by piece.
     *
     * @param head the final head
     * @param method the request method
     * @return the body stream
     */
    public BodyStream body(Response.Head head, String method) {
        Response.Framing f;
        long length = -1;
        int s = head.status();
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        if ("HEAD".equals(method) || (s >= 100 && s < 200) || s == 204 || s == 304) {
            f = Response.Framing.NONE;
        } else if (te != null) {
            String[] codings = te.split(",");
            f = codings[codings.length - 1].trim().equalsIgnoreCase("chunked") ? Response.Framing.CHUNKED : Response.Framing.CLOSE;
        } else if (cl != null) {
            f = Response.Framing.LENGTH;
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                note("unparseable Content-Length \"" + cl + "\"; reading until close");
                f = Response.Framing.CLOSE;
            }
        } else {
            f = Response.Framing.CLOSE;
        }
        return new BodyStream(f, length);
    }

    /**
     * Waits for the server to close the connection, discarding (and capturing) anything it sends.
     *
     * @return {@code true} if the server closed or reset the connection within the timeout,
     *     {@code false} if it kept it open
     * @throws IOException on other failures
     */
    public boolean awaitClose() throws IOException {
        try {
            while (in.read() >= 0) {
                // keep reading: anything after the response is captured for the transcript
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /**
     * Reads everything the server sends until it closes (or resets) the connection, for checks
     * that nothing follows a response (no body after HEAD, 204 or 304) and that the server closed.
     *
     * @return the bytes that arrived; empty when the server closed right away
     * @throws SocketTimeoutException if the server kept the connection open for the read timeout
     * @throws IOException on other failures
     */
    public byte[] readToClose() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                rest.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (SocketException e) {
            // a reset ends the connection as a close does
        }
        return rest.toByteArray();
    }

    /**
     * Closes the connection abruptly with a TCP reset, the way a client that gives up does, so
     * that the server's next write fails promptly.
     */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closing still ends the connection, only less abruptly
        }
        note("the client reset the connection");
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        if (sink != null) {
            sink.accept(new Exchange(title, sentCapture.render(), receivedCapture.render(), notes.toString()));
        }
    }

    /**
     * Reads one line as ISO-8859-1 without its line end, for checks of the framing itself (a chunk
     * size line, the status line of an interim response). A bare LF is accepted and noted.
     *
     * @return the line, or {@code null} if the connection ended before any byte of it
     * @throws IOException on a read timeout, or a line over 64 KiB
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length;
                if (n > 0 && bytes[n - 1] == '\r') {
                    n--;
                } else {
                    note("a line ended with a bare LF");
                }
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > 64 * 1024) {
                throw new IOException("line longer than 64 KiB");
            }
        }
    }

    /** A response body, decoded from its framing as it is read. */
    public final class BodyStream extends InputStream {
        private final Response.Framing framing;
        private long remaining;
        private boolean done;
        private boolean complete;
        private String problem;
        private final List<String[]> trailers = new ArrayList<>();
        private boolean chunkedStarted;

        BodyStream(Response.Framing framing, long length) {
            this.framing = framing;
            this.remaining = framing == Response.Framing.LENGTH ? length : 0;
            if (framing == Response.Framing.NONE || (framing == Response.Framing.LENGTH && length == 0)) {
                done = true;
                complete = true;
            }
        }

        /** @return how the body is delimited */
        public Response.Framing framing() {
            return framing;
        }

        /** @return whether the body ended as its framing says */
        public boolean complete() {
            return complete;
        }

        /** @return why the body ended early, or {@code null} */
        public String problem() {
            return problem;
        }

        /** @return trailer fields, once a chunked body has been read to its end */
        public List<String[]> trailers() {
            return trailers;
        }

        private int cut(String why) {
            done = true;
            complete = false;
            problem = why;
            note(why);
            return -1;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            try {
                switch (framing) {
                    case LENGTH: {
                        int n = in.read(b, off, (int) Math.min(len, remaining));
                        if (n < 0) {
                            return cut("the server closed the connection " + remaining + " bytes short of its Content-Length");
                        }
                        remaining -= n;
                        if (remaining == 0) {
                            done = true;
                            complete = true;
                        }
                        return n;
                    }
                    case CLOSE: {
                        int n = in.read(b, off, len);
                        if (n < 0) {
                            done = true;
                            complete = true; // nothing on the wire can tell an abort from the end here
                            return -1;
                        }
                        return n;
                    }
                    default:
                        return readChunked(b, off, len);
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (SocketException e) {
                return cut("the connection was reset while reading the body (" + e.getMessage() + ")");
            }
        }

        private int readChunked(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                if (chunkedStarted) {
                    String crlf = readLine();
                    if (crlf == null) {
                        return cut("the server closed the connection inside the chunked body (after a chunk's data)");
                    }
                    if (!crlf.isEmpty()) {
                        return cut("malformed chunked body: expected CRLF after chunk data, got \"" + crlf + "\"");
                    }
                }
                chunkedStarted = true;
                String sizeLine = readLine();
                if (sizeLine == null) {
                    return cut("the server closed the connection before the last chunk of the chunked body");
                }
                int semi = sizeLine.indexOf(';');
                String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    return cut("malformed chunk size line \"" + sizeLine + "\"");
                }
                if (size == 0) {
                    while (true) {
                        String t = readLine();
                        if (t == null) {
                            return cut("the server closed the connection inside the trailer section");
                        }
                        if (t.isEmpty()) {
                            break;
                        }
                        int colon = t.indexOf(':');
                        trailers.add(colon > 0 ? new String[] {t.substring(0, colon), t.substring(colon + 1).trim()} : new String[] {t, ""});
                    }
                    done = true;
                    complete = true;
                    return -1;
                }
                remaining = size;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                return cut("the server closed the connection inside a chunk, " + remaining + " bytes short");
            }
            remaining -= n;
            return n;
        }

        /**
         * Reads the rest of the body.
         *
         * @return the bytes
         * @throws IOException on a read timeout
         */
        public byte[] readAll() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = read(buf, 0, buf.length)) >= 0) {
                all.write(buf, 0, n);
            }
            return all.toByteArray();
        }

        /**
         * Reads until at least {@code n} body bytes have arrived in total from this call, or the body ends.
         *
         * @param n how many bytes to wait for
         * @return the bytes read, possibly fewer if the body ended
         * @throws IOException on a read timeout
         */
        public byte[] readAtLeast(int n) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[Math.max(1, n)];
            while (got.size() < n) {
                int r = read(buf, 0, n - got.size());
                if (r < 0) {
                    break;
                }
                got.write(buf, 0, r);
            }
            return got.toByteArray();
        }
    }

    /** Keeps the first 12 KiB and the last 2 KiB of a byte stream, and its total length. */
    private static final class Capture {
        private static final int HEAD = 12 * 1024;
        private static final int TAIL = 2 * 1024;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tail = new byte[TAIL];
        private long total;

        synchronized void add(byte[] b, int off, int len) {
            // in bulk: a connection may carry gigabytes, of which only the head and the tail are kept
            int toHead = (int) Math.max(0, Math.min(len, HEAD - total));
            head.write(b, off, toHead);
            total += toHead;
            int skip = Math.max(0, len - toHead - TAIL); // bytes that would be overwritten in the ring anyway
            total += skip;
            for (int i = off + toHead + skip; i < off + len; i++) {
                tail[(int) ((total - HEAD) % TAIL)] = b[i];
                total++;
            }
        }

        synchronized String render() {
            StringBuilder sb = new StringBuilder();
            Text.render(sb, head.toByteArray());
            if (total > HEAD) {
                long tailLen = Math.min(TAIL, total - HEAD);
                long omitted = total - HEAD - tailLen;
                if (omitted > 0) {
                    sb.append("\n[... ").append(omitted).append(" bytes omitted ...]\n");
                }
                byte[] t = new byte[(int) tailLen];
                long start = total - tailLen;
                for (int i = 0; i < tailLen; i++) {
                    t[i] = tail[(int) ((start + i - HEAD) % TAIL)];
                }
                Text.render(sb, t);
            }
            return sb.toString();
        }
    }

    /** Records every byte read from the socket. */
    private static final class CapturingInput extends InputStream {
        private final InputStream in;
        private final Capture capture;

        CapturingInput(InputStream in, Capture capture) {
            this.in = in;
            this.capture = capture;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                capture.add(new byte[] {(byte) c}, 0, 1);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                capture.add(b, off, n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }

    /** Byte-to-text rendering for transcripts. */
    static final class Text {
        private Text() {
        }

        static void render(StringBuilder sb, byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                int c = bytes[i] & 0xff;
                if (c == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    sb.append('\n');
                    i++;
                } else if (c == '\n') {
                    sb.append("\\n\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
                    sb.append((char) c);
                } else {
                    sb.append(String.format(Locale.ROOT, "\\x%02x", c));
                }
            }
        }
    }
}
