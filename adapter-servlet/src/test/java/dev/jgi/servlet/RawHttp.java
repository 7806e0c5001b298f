package dev.jgi.servlet;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over a raw socket, for checks the JDK client hides: the exact status
 * line, interim 1xx responses, body framing, and whether a body was cut off.
 */
final class RawHttp implements AutoCloseable {

    /** One parsed response. */
    static final class Response {
        final List<String> interim = new ArrayList<>();
        String statusLine;
        int status;
        final List<String[]> headers = new ArrayList<>();
        byte[] body;
        /** Whether the body framing completed (Content-Length reached, or the last chunk seen). */
        boolean complete;
        boolean chunked;

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

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
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads the status line and headers, skipping (and recording) interim 1xx responses. */
    Response readHead() throws IOException {
        Response r = new Response();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new EOFException("connection closed before a status line");
            }
            r.statusLine = line;
            r.status = Integer.parseInt(line.substring(9, 12));
            r.headers.clear();
            String h;
            while ((h = readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                r.headers.add(new String[] {h.substring(0, colon), h.substring(colon + 1).trim()});
            }
            if (r.status >= 200) {
                return r;
            }
            r.interim.add(line);
        }
    }

    /** Reads a whole response; {@code head} says the request was HEAD (no body follows). */
    Response read(boolean head) throws IOException {
        Response r = readHead();
        readBody(r, head);
        return r;
    }

    void readBody(Response r, boolean head) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String te = r.header("Transfer-Encoding");
        String cl = r.header("Content-Length");
        if (head || r.status == 204 || r.status == 304) {
            r.complete = true;
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            r.chunked = true;
            r.complete = readChunks(body);
        } else if (cl != null) {
            long n = Long.parseLong(cl);
            r.complete = copy(body, n);
        } else {
            copy(body, Long.MAX_VALUE); // close-delimited: complete by definition once closed
            r.complete = true;
        }
        r.body = body.toByteArray();
    }

    private boolean readChunks(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String size;
            try {
                size = readLine();
            } catch (IOException e) {
                return false;
            }
            if (size == null) {
                return false;
            }
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                String t;
                while ((t = readLine()) != null && !t.isEmpty()) {
                    // trailers
                }
                return t != null;
            }
            if (!copy(body, n)) {
                return false;
            }
            String crlf = readLine();
            if (crlf == null) {
                return false;
            }
        }
    }

    /** Copies n bytes (or to EOF when n is MAX_VALUE); false if the stream ended or broke early. */
    private boolean copy(ByteArrayOutputStream body, long n) throws IOException {
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r;
            try {
                r = in.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                return n == Long.MAX_VALUE;
            }
            if (r < 0) {
                return n == Long.MAX_VALUE;
            }
            body.write(buf, 0, r);
            left -= r;
        }
        return true;
    }

    /**
     * Reads one chunk of a chunked body as soon as its bytes arrive, without waiting for the CRLF
     * after the data (Jetty sends that CRLF together with the next chunk's size line).
     *
     * @return the chunk's data; empty for the last chunk
     */
    String readChunk() throws IOException {
        String size = readLine();
        while (size != null && size.isEmpty()) {
            size = readLine(); // the CRLF that ended the previous chunk's data
        }
        if (size == null) {
            throw new EOFException("connection closed before a chunk");
        }
        int n = Integer.parseInt(size.trim(), 16);
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new EOFException("chunk cut off after " + data.length + " of " + n + " bytes");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Reads a CRLF-terminated line as ISO-8859-1, or null at EOF. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection (EOF within the socket timeout). */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
