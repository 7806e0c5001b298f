package dev.jgi.undertow;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A raw HTTP/1.1 client over a socket, for what java.net.http cannot send or does not show. */
final class Raw implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Raw(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Raw send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Raw send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one CRLF-terminated line (without the CRLF); null at end of stream before any byte. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        if (b.size() == 0) {
            return null;
        }
        throw new EOFException("connection closed in the middle of a line: " + b);
    }

    /** Reads a response head: the status line then header lines. */
    Response head() throws IOException {
        String status = line();
        if (status == null) {
            throw new EOFException("connection closed before a response");
        }
        Response r = new Response(status);
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            r.headers.add(new String[] {l.substring(0, colon), l.substring(colon + 1).trim()});
        }
        return r;
    }

    /** Reads a whole response: head and body framed as the headers say (or until close). */
    Response response(boolean head) throws IOException {
        Response r = head();
        while (r.code / 100 == 1) {
            r.interim.add(r.status);
            Response next = head();
            next.interim.addAll(r.interim);
            r = next;
        }
        if (head || r.code == 204 || r.code == 304) {
            return r;
        }
        String te = r.header("Transfer-Encoding");
        String cl = r.header("Content-Length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String size = line();
                if (size == null) {
                    r.complete = false;
                    break;
                }
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (true) {
                        String t = line();
                        if (t == null || t.isEmpty()) {
                            break;
                        }
                    }
                    break;
                }
                byte[] chunk = in.readNBytes(n);
                body.write(chunk);
                if (chunk.length < n) {
                    r.complete = false;
                    break;
                }
                line();
            }
        } else if (cl != null) {
            long n = Long.parseLong(cl);
            byte[] all = in.readNBytes((int) n);
            body.write(all);
            r.complete = all.length == n;
        } else {
            body.write(in.readAllBytes());
        }
        r.body = body.toByteArray();
        return r;
    }

    Response response() throws IOException {
        return response(false);
    }

    /** Whether the server closed the connection (reads end of stream within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static final class Response {
        final String status;
        final int code;
        final List<String[]> headers = new ArrayList<>();
        final List<String> interim = new ArrayList<>();
        byte[] body = new byte[0];
        boolean complete = true;

        Response(String status) {
            this.status = status;
            this.code = Integer.parseInt(status.substring(9, 12));
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        List<String> all(String name) {
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
}
