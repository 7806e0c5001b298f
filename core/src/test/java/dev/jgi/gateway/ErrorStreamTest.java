package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ErrorStream} over the JDK's default logging backend (java.util.logging). */
class ErrorStreamTest {

    private static final String NAME = "dev.jgi.test.ErrorStreamTest";
    private final List<LogRecord> records = new ArrayList<>();
    private final Logger julLogger = Logger.getLogger(NAME);
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        julLogger.setUseParentHandlers(false);
        julLogger.addHandler(handler);
    }

    @AfterEach
    void release() {
        julLogger.removeHandler(handler);
        julLogger.setUseParentHandlers(true);
    }

    @Test
    void oneRecordPerFlushWithoutTrailingNewlines() {
        PrintWriter errors = ErrorStream.toLogger(NAME, System.Logger.Level.ERROR);
        errors.println("first line");
        errors.println("second line");
        assertEquals(0, records.size(), "nothing is logged before the flush");
        errors.flush();
        assertEquals(1, records.size());
        assertEquals("first line" + System.lineSeparator() + "second line", records.get(0).getMessage());
        assertEquals(Level.SEVERE, records.get(0).getLevel());
    }

    @Test
    void anEmptyFlushLogsNothing() {
        PrintWriter errors = ErrorStream.toLogger(NAME, System.Logger.Level.ERROR);
        errors.flush();
        errors.println();
        errors.flush();
        assertEquals(0, records.size());
    }

    @Test
    void aLoggerGivenAsObjectIsUsedAsGiven() {
        PrintWriter errors = ErrorStream.toLogger(System.getLogger(NAME), System.Logger.Level.WARNING);
        errors.print("warned");
        errors.close();
        assertEquals(1, records.size());
        assertEquals("warned", records.get(0).getMessage());
        assertEquals(Level.WARNING, records.get(0).getLevel());
    }
}
