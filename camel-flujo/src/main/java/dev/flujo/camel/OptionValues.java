package dev.flujo.camel;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.flujo.core.FlujoConfigurationException;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.UriParam;

/**
 * Checks the raw text of numeric options before Camel converts it.
 *
 * <p>Why: Camel 4.18 converts the text of every int/long option with {@code TimeUtils.toMilliSeconds}, which turns
 * {@code "abc"} into 0 and {@code "-5s"} into 0, so {@code maxRetries=abc} would silently mean "no retries" and
 * {@code timeout=-5s} "no time-out". Here such text fails, naming the option. The kind of each option is read from
 * the {@link UriParam} fields of {@link FlujoConfiguration}, so a new numeric option is checked without being listed.
 */
final class OptionValues {

    enum Kind { INT, LONG, DURATION, DECIMAL }

    private static final Pattern COUNT = Pattern.compile("-?\\d+");
    /** Camel's TimeUtils reads lower-case units only: "5S" would silently become 0, so it is refused here. */
    private static final Pattern UNIT_DURATION = Pattern.compile("(\\d+\\s*(ms|s|m|h|d)\\s*)+");
    private static final Pattern PLACEHOLDER = Pattern.compile(".*\\{\\{.*}}.*");

    /** Option name (lower case) → kind, for every numeric option of {@link FlujoConfiguration}. */
    static final Map<String, Kind> NUMERIC_OPTIONS = numericOptions();

    /** Option name as Camel matches it (lower case, no dashes) → the name in URIs, for every endpoint option. */
    private static final Map<String, String> CONFIGURATION_OPTIONS = configurationOptions();

    private OptionValues() {
    }

    /**
     * Checks component defaults such as {@code camel.component.flujo.maxRetries} (or {@code max-retries}) where they
     * are defined: application properties, initial or override properties.
     */
    static void checkComponentDefaults(PropertiesComponent properties, String prefix) {
        Map<String, Object> defaults = new TreeMap<>();
        // camel-main binds these keys ignoring case (camel.component.flujo.maxretries), so every defined key is
        // listed and matched here. Unfiltered, because Camel 4.18's filtered loadProperties leaves out initial and
        // override properties; through keySet(), because its ordered Properties keep their entries outside
        // Hashtable, where forEach sees none.
        Properties all = properties.loadProperties();
        for (Object k : all.keySet()) {
            String key = k.toString();
            if (key.regionMatches(true, 0, prefix, 0, prefix.length())) {
                defaults.put(key, all.get(k));
            }
        }
        check(defaults, "the flujo component");
    }

    private static Map<String, String> configurationOptions() {
        Map<String, String> names = new TreeMap<>();
        for (Field f : FlujoConfiguration.class.getDeclaredFields()) {
            UriParam param = f.getAnnotation(UriParam.class);
            if (param != null) {
                String name = param.name().isEmpty() ? f.getName() : param.name();
                names.put(normalized(name), name);
            }
        }
        return Collections.unmodifiableMap(names);
    }

    private static String normalized(String option) {
        return option.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static Map<String, Kind> numericOptions() {
        Map<String, Kind> kinds = new TreeMap<>();
        for (Field f : FlujoConfiguration.class.getDeclaredFields()) {
            UriParam param = f.getAnnotation(UriParam.class);
            if (param == null) {
                continue;
            }
            Class<?> t = f.getType();
            Kind kind = "java.time.Duration".equals(param.javaType()) ? Kind.DURATION
                    : t == int.class || t == Integer.class ? Kind.INT
                    : t == long.class || t == Long.class ? Kind.LONG
                    : t == double.class || t == Double.class ? Kind.DECIMAL
                    : null;
            if (kind != null) {
                kinds.put(f.getName().toLowerCase(Locale.ROOT), kind);
            }
        }
        return Collections.unmodifiableMap(kinds);
    }

    /**
     * Fails when an option is set on a kind that does not use it (e.g. {@code branches} on {@code flujo:loop}), naming
     * the option and the kinds that take it: a silently ignored option is a bug waiting to be found in production.
     */
    static void checkKind(Map<String, ?> options, FlujoKind kind, String uri) {
        List<String> problems = new ArrayList<>();
        for (String option : options.keySet()) {
            String known = CONFIGURATION_OPTIONS.get(normalized(option));
            if (known != null && !kind.takes(known)) {
                problems.add("option " + known + " does not apply to flujo:" + kind.uriName() + " (it applies to: "
                        + FlujoKind.kindsTaking(known) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid options in " + uri, problems);
        }
    }

    /**
     * @param options option name → value, as given (only String values are checked: typed values passed from Java
     *                were converted by the compiler already)
     * @param where   names the step or component in the message
     * @throws FlujoConfigurationException listing every option whose text is not a value of its kind
     */
    static void check(Map<String, ?> options, String where) {
        List<String> problems = new ArrayList<>();
        options.forEach((name, value) -> {
            // Camel matches option names ignoring case and dashes (max-retries = maxRetries)
            String option = name.substring(name.lastIndexOf('.') + 1);
            Kind kind = NUMERIC_OPTIONS.get(option.replace("-", "").toLowerCase(Locale.ROOT));
            if (kind != null && value instanceof String text) {
                String problem = problem(kind, text.trim());
                if (problem != null) {
                    problems.add(name + " " + problem + ", was '" + text + "'");
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid options of " + where, problems);
        }
    }

    private static String problem(Kind kind, String text) {
        if (PLACEHOLDER.matcher(text).matches()) {
            return null; // resolved later by Camel's property placeholders
        }
        switch (kind) {
            case INT:
            case LONG:
                if (!COUNT.matcher(text).matches()) {
                    return "must be a whole number";
                }
                // Camel casts the parsed long to int without a check: 4294967296 would become 0
                try {
                    if (kind == Kind.INT) {
                        Integer.parseInt(text);
                    } else {
                        Long.parseLong(text);
                    }
                    return null;
                } catch (NumberFormatException e) {
                    return "is out of range";
                }
            case DECIMAL:
                try {
                    double d = Double.parseDouble(text);
                    return Double.isFinite(d) ? null : "must be a finite number";
                } catch (NumberFormatException e) {
                    return "must be a number";
                }
            default:
                return durationProblem(text);
        }
    }

    private static String durationProblem(String text) {
        if (text.startsWith("-")) {
            return "must not be negative";
        }
        if (COUNT.matcher(text).matches() || UNIT_DURATION.matcher(text).matches()) {
            return null;
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text).isNegative() ? "must not be negative" : null;
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        return "must be a duration such as 500ms, 30s, 5m, 1h (lower-case units), PT30S or a number of milliseconds";
    }
}
