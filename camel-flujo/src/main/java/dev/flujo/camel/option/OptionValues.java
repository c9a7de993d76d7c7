package dev.flujo.camel.option;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.FlujoKind;
import dev.flujo.core.FlujoConfigurationException;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Checks the raw text of numeric, boolean and enum options before Camel converts it.
 *
 * <p>
 * Why: Camel 4.18 converts the text of every int/long option with {@code TimeUtils.toMilliSeconds}, which turns
 * {@code "abc"} into 0 and {@code "-5s"} into 0, so {@code maxRetries=abc} would silently mean "no retries" and
 * {@code timeout=-5s} "no time-out". Here such text fails, naming the option. The kind of each option is read from
 * options' declarations ({@link OptionCatalog}), so a new numeric option is checked without being listed. Booleans and
 * enums are checked here too (Camel would refuse them, but alone and with an error of its own), so that every bad value
 * of an endpoint is one of the problems of one {@link FlujoConfigurationException}.
 */
public final class OptionValues {

    enum Kind {
        INT,
        LONG,
        DURATION,
        DECIMAL,
        BOOLEAN,
        ENUM
    }

    private static final Pattern COUNT = Pattern.compile("-?\\d+");
    /**
     * One part of a duration such as {@code 1m30s}. Camel's TimeUtils reads lower-case units only: "5S" would silently
     * become 0, so it is refused here. Read part by part: a repeated group in one pattern recurses once per part and
     * overflows the stack on a few thousand of them.
     */
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)\\s*");

    /** Option name (lower case) → kind, for every numeric, boolean and enum option of {@link FlujoConfiguration}. */
    static final Map<String, Kind> TYPED_OPTIONS = typedOptions();

    /** Option name (lower case) → the names of its constants, for every enum option. */
    private static final Map<String, List<String>> ENUM_CONSTANTS = enumConstants();

    /** The numeric options of the component alone (not endpoint options), by lower-case name. */
    private static final Map<String, Kind> COMPONENT_ONLY_OPTIONS = Map.of("blockingagentpoolsize", Kind.INT);

    /** Option name as Camel matches it (lower case, no dashes) → the name in URIs, for every endpoint option. */
    private static final Map<String, String> CONFIGURATION_OPTIONS = configurationOptions();

    private OptionValues() {
    }

    /**
     * Checks component defaults such as {@code camel.component.flujo.maxRetries} (or {@code max-retries}) where they
     * are defined: application properties, initial or override properties.
     */
    public static void checkComponentDefaults(PropertiesComponent properties, String prefix) {
        Map<String, Object> defaults = new TreeMap<>();
        // camel-main binds these keys ignoring case (camel.component.flujo.maxretries), so every defined key is
        // listed and matched here. Unfiltered, because Camel 4.18's filtered loadProperties leaves out initial and
        // override properties; through keySet(), because its ordered Properties keep their entries outside
        // Hashtable, where forEach sees none.
        Properties all = properties.loadProperties();
        for (Object k : all.keySet()) {
            String key = k.toString();
            if (key.regionMatches(true, 0, prefix, 0, prefix.length())) {
                defaults.put(key, resolved(properties, all.get(k)));
            }
        }
        check(defaults, "the flujo component");
    }

    /**
     * A default's text with its placeholders resolved: camel-main binds the resolved text, and nothing checks it later
     * ({@code maxRetries={{retries}}} with {@code retries=abc} would mean no retries). A placeholder that does not
     * resolve is left as it is, for camel-main to report.
     */
    private static Object resolved(PropertiesComponent properties, Object value) {
        if (value instanceof String text && placeholder(text)) {
            try {
                return properties.parseUri(text);
            } catch (RuntimeException e) {
                return text;
            }
        }
        return value;
    }

    private static Map<String, String> configurationOptions() {
        Map<String, String> names = new TreeMap<>();
        for (String name : OptionCatalog.OPTIONS.keySet()) {
            names.put(normalized(name), name);
        }
        return Collections.unmodifiableMap(names);
    }

    private static String normalized(String option) {
        return option.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static Map<String, Kind> typedOptions() {
        Map<String, Kind> kinds = new TreeMap<>();
        for (OptionCatalog.Option option : OptionCatalog.OPTIONS.values()) {
            Field f = option.field();
            Class<?> t = f.getType();
            Kind kind = option.duration() ? Kind.DURATION
                    : t == int.class || t == Integer.class ? Kind.INT
                    : t == long.class || t == Long.class ? Kind.LONG
                    : t == double.class || t == Double.class ? Kind.DECIMAL
                    : t == boolean.class || t == Boolean.class ? Kind.BOOLEAN
                    : t.isEnum() ? Kind.ENUM
                    : null;
            if (kind != null) {
                kinds.put(f.getName().toLowerCase(Locale.ROOT), kind);
            }
        }
        return Collections.unmodifiableMap(kinds);
    }

    private static Map<String, List<String>> enumConstants() {
        Map<String, List<String>> constants = new TreeMap<>();
        for (OptionCatalog.Option option : OptionCatalog.OPTIONS.values()) {
            Field f = option.field();
            if (f.getType().isEnum()) {
                constants.put(f.getName().toLowerCase(Locale.ROOT), Arrays.stream(f.getType().getEnumConstants())
                        .map(c -> ((Enum<?>) c).name()).toList());
            }
        }
        return Collections.unmodifiableMap(constants);
    }

    /**
     * Fails when an option is set on a kind that does not use it (e.g. {@code branches} on {@code flujo:loop}), naming
     * the option and the kinds that take it: a silently ignored option is a bug waiting to be found in production.
     */
    public static void checkKind(Map<String, ?> options, FlujoKind kind, String uri) {
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
     * @param  options                     option name → value, as given (only String values are checked: typed values
     *                                     passed from Java were converted by the compiler already)
     * @param  where                       names the step or component in the message
     * @throws FlujoConfigurationException listing every option whose text is not a value of its kind
     */
    public static void check(Map<String, ?> options, String where) {
        List<String> problems = new ArrayList<>();
        options.forEach((name, value) -> {
            // Camel matches option names ignoring case and dashes (max-retries = maxRetries)
            String option = name.substring(name.lastIndexOf('.') + 1);
            String key = option.replace("-", "").toLowerCase(Locale.ROOT);
            Kind kind = TYPED_OPTIONS.getOrDefault(key, COMPONENT_ONLY_OPTIONS.get(key));
            // a property placeholder is resolved later by Camel, and its text checked then
            if (kind != null && value instanceof String text && !placeholder(text)) {
                // Camel reads true and false in any case, but untrimmed; enum constants in any case, trimmed
                String problem = kind == Kind.BOOLEAN ? booleanProblem(text)
                        : kind == Kind.ENUM ? enumProblem(ENUM_CONSTANTS.get(key), text.trim())
                        : problem(kind, text.trim());
                if (problem != null) {
                    problems.add(name + " " + problem + ", was '" + text + "'");
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid options of " + where, problems);
        }
    }

    /** Whether the text holds a property placeholder ({@code {{name}}}). */
    private static boolean placeholder(String text) {
        int open = text.indexOf("{{");
        return open >= 0 && text.indexOf("}}", open + 2) >= 0;
    }

    /**
     * Whether the text is a reference Camel resolves when it binds the option ({@code #property:key},
     * {@code #bean:name}, {@code #name}): for a boolean or an enum, Camel itself refuses a value it cannot convert.
     */
    private static boolean reference(String text) {
        return text.startsWith("#");
    }

    private static String booleanProblem(String text) {
        return reference(text) || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                ? null
                : "must be true or false";
    }

    private static String enumProblem(List<String> constants, String text) {
        return reference(text) || constants.stream().anyMatch(text::equalsIgnoreCase)
                ? null
                : "must be one of " + String.join(", ", constants);
    }

    private static String problem(Kind kind, String text) {
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
        // Camel computes the milliseconds in a long without a check: 18446744073709552s would become 384 ms
        try {
            if (COUNT.matcher(text).matches()) {
                Long.parseLong(text);
                return null;
            }
            if (unitMillis(text) >= 0) {
                return null;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return "is out of range";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                Duration duration = Duration.parse(text);
                if (duration.isNegative()) {
                    return "must not be negative";
                }
                duration.toMillis();
                return null;
            } catch (ArithmeticException e) {
                return "is out of range";
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException) {
                    return "is out of range";
                }
                // fall through
            }
        }
        return "must be a duration such as 500ms, 30s, 5m, 1h (lower-case units), PT30S or a number of milliseconds";
    }

    /**
     * The milliseconds of a duration such as {@code 1m30s}; -1 when the text is not such a duration.
     *
     * @throws ArithmeticException      when they do not fit a long
     * @throws IllegalArgumentException when a unit is repeated: Camel would read the first only ({@code 1h1h} = 1h)
     */
    private static long unitMillis(String text) {
        Matcher part = DURATION_PART.matcher(text);
        Set<String> units = new HashSet<>();
        long millis = 0;
        int end = 0;
        while (end < text.length()) {
            part.region(end, text.length());
            if (!part.lookingAt()) {
                return -1;
            }
            if (!units.add(part.group(2))) {
                throw new IllegalArgumentException(
                        "must not repeat the unit " + part.group(2) + " (Camel would read"
                                                   + " the first one only)");
            }
            long factor = switch (part.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(part.group(1)), factor));
            end = part.end();
        }
        return end == 0 ? -1 : millis;
    }
}
