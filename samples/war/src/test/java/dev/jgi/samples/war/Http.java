package dev.jgi.samples.war;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One raw HTTP/1.1 exchange over a socket, read to the end ({@code Connection: close}). */
final class Http {

    final String statusLine;
    final int status;
    final List<String[]> headers;
    final String body;
    final List<String> interim;

    private Http(String statusLine, List<String[]> headers, String body, List<String> interim) {
        this.statusLine = statusLine;
        this.status = Integer.parseInt(statusLine.substring(9, 12));
        this.headers = headers;
        this.body = body;
        this.interim = interim;
    }

    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** Sends {@code request} (which should say {@code Connection: close}) and reads the whole response. */
    static Http exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            List<String> interim = new ArrayList<>();
            String statusLine;
            List<String[]> headers = new ArrayList<>();
            while (true) {
                statusLine = line(in);
                headers.clear();
                String h;
                while ((h = line(in)) != null && !h.isEmpty()) {
                    int colon = h.indexOf(':');
                    headers.add(new String[] {h.substring(0, colon), h.substring(colon + 1).trim()});
                }
                if (statusLine.charAt(9) != '1') {
                    break;
                }
                interim.add(statusLine);
            }
            byte[] raw = in.readAllBytes();
            Http r = new Http(statusLine, headers, "", interim);
            String te = r.header("Transfer-Encoding");
            String body = te != null && te.toLowerCase(Locale.ROOT).contains("chunked") ? dechunk(raw)
                    : new String(raw, StandardCharsets.UTF_8);
            return new Http(statusLine, headers, body, interim);
        }
    }

    static String get(int port, String target) throws IOException {
        Http r = exchange(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return r.status + " " + r.body;
    }

    private static String dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int eol = indexOf(raw, i);
            int n = Integer.parseInt(new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (n == 0) {
                break;
            }
            out.write(raw, eol + 2, n);
            i = eol + 2 + n + 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return b.length;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
