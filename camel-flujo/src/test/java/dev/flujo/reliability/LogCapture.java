package dev.flujo.reliability;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the tests' slf4j binding (slf4j-simple, which prints to {@code System.err} as it finds it at each call)
 * writes while it is open, with the given loggers raised to a more verbose level, so that what an operator sees at
 * debug or trace is read too. Closing it restores {@code System.err} and every level it changed: the other tests of the
 * JVM log as before.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start(Map.of("dev.flujo", "trace", "org.apache.camel", "debug"))) {
 *     ...
 *     String text = logs.text();
 * }
 * }</pre>
 */
final class LogCapture implements AutoCloseable {

    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.";

    private final PrintStream originalErr;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final Map<String, String> levels;
    private final Map<String, String> previousProperties = new HashMap<>();
    private final Map<Object, Integer> previousLevels = new HashMap<>();

    private LogCapture(Map<String, String> levels) {
        this.levels = levels;
        this.originalErr = System.err;
    }

    /** @param levels logger name prefix -> slf4j-simple level ({@code trace}, {@code debug}, ...) */
    static LogCapture start(Map<String, String> levels) {
        LogCapture capture = new LogCapture(levels);
        capture.raise();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (capture.captured) {
                    capture.captured.write(b);
                }
                capture.originalErr.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (capture.captured) {
                    capture.captured.write(b, off, len);
                }
                capture.originalErr.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        return capture;
    }

    /** What was logged so far. */
    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** Loggers created from now on read the system properties; existing ones get their level set in place. */
    private void raise() {
        levels.forEach((prefix, level) -> {
            previousProperties.put(prefix, System.getProperty(LEVEL_PROPERTY + prefix));
            System.setProperty(LEVEL_PROPERTY + prefix, level);
        });
        Field current = simpleLoggerLevel();
        if (current == null) {
            return;
        }
        for (Map.Entry<String, Logger> e : existingLoggers().entrySet()) {
            String level = levelFor(e.getKey());
            if (level != null) {
                try {
                    previousLevels.put(e.getValue(), current.getInt(e.getValue()));
                    current.setInt(e.getValue(), toInt(level));
                } catch (IllegalAccessException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    private String levelFor(String logger) {
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> e : levels.entrySet()) {
            String prefix = e.getKey();
            if ((logger.equals(prefix) || logger.startsWith(prefix + ".")) && prefix.length() > bestLength) {
                best = e.getValue();
                bestLength = prefix.length();
            }
        }
        return best;
    }

    /** slf4j-simple's levels (LocationAwareLogger's numbers). */
    private static int toInt(String level) {
        return switch (level) {
            case "trace" -> 0;
            case "debug" -> 10;
            case "info" -> 20;
            case "warn" -> 30;
            case "error" -> 40;
            default -> throw new IllegalArgumentException(level);
        };
    }

    private static Field simpleLoggerLevel() {
        try {
            Field f = Class.forName("org.slf4j.simple.SimpleLogger").getDeclaredField("currentLogLevel");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException e) {
            return null; // another binding: only the system properties apply
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Logger> existingLoggers() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            Field map = factory.getClass().getDeclaredField("loggerMap");
            map.setAccessible(true);
            return Map.copyOf((ConcurrentMap<String, Logger>) map.get(factory));
        } catch (ReflectiveOperationException e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(originalErr);
        previousProperties.forEach((prefix, value) -> {
            if (value == null) {
                System.clearProperty(LEVEL_PROPERTY + prefix);
            } else {
                System.setProperty(LEVEL_PROPERTY + prefix, value);
            }
        });
        Field current = simpleLoggerLevel();
        // loggers created while the capture was open keep the raised level unless put back to the configured one
        for (Map.Entry<String, Logger> e : existingLoggers().entrySet()) {
            if (current == null || levelFor(e.getKey()) == null) {
                continue;
            }
            try {
                Integer before = previousLevels.get(e.getValue());
                current.setInt(e.getValue(), before != null ? before : configuredLevel(e.getKey()));
            } catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    /** The level slf4j-simple gives a new logger of that name now (the raising properties are cleared by then). */
    private static int configuredLevel(String logger) {
        try {
            Class<?> type = Class.forName("org.slf4j.simple.SimpleLogger");
            var constructor = type.getDeclaredConstructor(String.class);
            constructor.setAccessible(true);
            Object fresh = constructor.newInstance(logger);
            Field f = simpleLoggerLevel();
            return f.getInt(fresh);
        } catch (ReflectiveOperationException e) {
            return 20;
        }
    }
}
