package dev.jgi.conformance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One connection's worth of transcript: the bytes the suite sent and the bytes it received, as
 * readable text (CR and LF kept as line ends, other control and non-ASCII bytes escaped as
 * {@code \xNN}, long bodies shortened), plus notes such as "connection closed by the server
 * before the end of the chunked body".
 */
public final class Exchange {
    private final String title;
    private final String sent;
    private final String received;
    private final String notes;

    /**
     * Creates a transcript entry.
     *
     * @param title what the connection was for, for example {@code "GET /mnt/app/foo"}
     * @param sent the request bytes as text
     * @param received the response bytes as text
     * @param notes observations, possibly empty
     */
    public Exchange(String title, String sent, String received, String notes) {
        this.title = Objects.requireNonNull(title);
        this.sent = Objects.requireNonNull(sent);
        this.received = Objects.requireNonNull(received);
        this.notes = notes == null ? "" : notes;
    }

    /** @return what the connection was for */
    public String title() {
        return title;
    }

    /** @return the request bytes as text */
    public String sent() {
        return sent;
    }

    /** @return the response bytes as text */
    public String received() {
        return received;
    }

    /** @return observations, possibly empty */
    public String notes() {
        return notes;
    }

    /** @return the entry as a JSON-ready map */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("sent", sent);
        m.put("received", received);
        if (!notes.isEmpty()) {
            m.put("notes", notes);
        }
        return m;
    }

    /**
     * Reads an entry written by {@link #toMap()}.
     *
     * @param m the map
     * @return the entry
     */
    public static Exchange fromMap(Map<?, ?> m) {
        Object notes = m.get("notes");
        return new Exchange(String.valueOf(m.get("title")), String.valueOf(m.get("sent")),
                String.valueOf(m.get("received")), notes == null ? "" : notes.toString());
    }

    @Override
    public String toString() {
        return "--- " + title + "\n>>> sent\n" + sent + "\n<<< received\n" + received
                + (notes.isEmpty() ? "" : "\n!!! " + notes);
    }
}
