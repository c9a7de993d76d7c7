package dev.flujo.camel.option;

import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.FlujoKind;
import dev.flujo.camel.FlujoOption;
import dev.flujo.core.config.OptimizationConfig;
import org.apache.camel.spi.UriParam;

/**
 * Every option of a flujo endpoint, read once from its one declaration: the {@link UriParam} and {@link FlujoOption} of
 * its {@link FlujoConfiguration} field. What used to be kept by hand in several places is derived here: which kind
 * takes which option, which options change at runtime, what the optimization statistics list, which options have no
 * effect, and how an option's value becomes the core's ({@link #toCore}) and back ({@link #applyCoreDefaults}).
 *
 * <p>
 * An option of the core configuration is one whose name is an {@link OptimizationConfig#optionNames() option name} of
 * the core: the names are the link, so mapping needs no per-option code. The rules, by the field's type: a duration (a
 * {@code long} of milliseconds, {@code javaType = "java.time.Duration"}) becomes a {@link Duration}, where 0 means
 * "none" for options whose core default is none ({@code timeout}, {@code cacheTtl}); an amount ({@code double}) becomes
 * a {@link BigDecimal}; a comma-separated text becomes a list; anything else is taken as it is.
 */
public final class OptionCatalog {

    /** One option: its field, Camel's metadata and flujo's. */
    record Option(String name, Field field, UriParam param, FlujoOption flujo, Set<FlujoKind> kinds, boolean core) {

        boolean duration() {
            return "java.time.Duration".equals(param.javaType());
        }

        Object read(FlujoConfiguration configuration) {
            try {
                return field.get(configuration);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        void write(FlujoConfiguration configuration, Object value) {
            try {
                field.set(configuration, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Its name in the optimization statistics: without the {@code enable} prefix. */
        String statName() {
            return name.startsWith("enable") ? Character.toLowerCase(name.charAt(6)) + name.substring(7) : name;
        }
    }

    /** By the name written in URIs, in declaration order. */
    static final Map<String, Option> OPTIONS = read();

    /** Options a running endpoint may change: every core option, and those marked {@link FlujoOption#runtime()}. */
    public static final Set<String> RUNTIME = OPTIONS.values().stream().filter(o -> o.core() || o.flujo().runtime())
            .map(Option::name).collect(Collectors.toUnmodifiableSet());

    private OptionCatalog() {
    }

    private static Map<String, Option> read() {
        Map<String, Option> options = new LinkedHashMap<>();
        Set<String> core = OptimizationConfig.optionNames();
        for (Field f : FlujoConfiguration.class.getDeclaredFields()) {
            UriParam param = f.getAnnotation(UriParam.class);
            if (param == null) {
                continue;
            }
            FlujoOption flujo = f.getAnnotation(FlujoOption.class);
            if (flujo == null) {
                throw new IllegalStateException(
                        "FlujoConfiguration." + f.getName() + " has @UriParam but no"
                                                + " @FlujoOption: say which kinds take it");
            }
            String name = param.name().isEmpty() ? f.getName() : param.name();
            f.setAccessible(true);
            Set<FlujoKind> kinds = EnumSet.noneOf(FlujoKind.class);
            kinds.addAll(Arrays.asList(flujo.kinds()));
            options.put(name, new Option(
                    name, f, param, flujo, Collections.unmodifiableSet(kinds),
                    core.contains(name)));
        }
        for (String name : core) {
            if (!options.containsKey(name)) {
                throw new IllegalStateException("core option " + name + " has no @UriParam field in FlujoConfiguration");
            }
        }
        for (Option option : options.values()) {
            for (String requirement : option.flujo().requires()) {
                for (String prerequisite : requirement.split("\\|")) {
                    if (!core.contains(prerequisite)) {
                        throw new IllegalStateException(
                                option.name() + " requires " + prerequisite
                                                        + ", which is not an option of the core configuration");
                    }
                }
            }
        }
        return Collections.unmodifiableMap(options);
    }

    public static boolean takes(FlujoKind kind, String option) {
        Option o = OPTIONS.get(option);
        return o != null && o.kinds().contains(kind);
    }

    /** The kinds that take an option, for error messages. */
    public static String kindsTaking(String option) {
        Option o = OPTIONS.get(option);
        return o == null ? "" : o.kinds().stream().map(FlujoKind::uriName).collect(Collectors.joining(", "));
    }

    /**
     * The core options of a configuration, by name, as the core builder takes them; a value that cannot be one (an
     * amount that is not finite) is a problem naming the option instead.
     */
    public static Map<String, Object> toCore(FlujoConfiguration configuration, List<String> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> defaults = OptimizationConfig.defaults().values();
        for (Option option : OPTIONS.values()) {
            if (!option.core()) {
                continue;
            }
            Object value = option.read(configuration);
            if (option.duration()) {
                long millis = (Long) value;
                // 0 is "none" for an option that has none by default; a negative value is kept for validation to name
                value = millis == 0 && defaults.get(option.name()) == null ? null : Duration.ofMillis(millis);
            } else if (value instanceof Double amount) {
                if (amount.isNaN() || amount.isInfinite()) {
                    problems.add(option.name() + " must be a finite number, was " + amount);
                    value = null;
                } else {
                    value = BigDecimal.valueOf(amount);
                }
            } else if (value instanceof String || (value == null && option.field().getType() == String.class)) {
                value = FlujoConfiguration.splitList((String) value);
            }
            values.put(option.name(), value);
        }
        return values;
    }

    /** Sets every core option of a new configuration to the core's default: the defaults are declared there. */
    public static void applyCoreDefaults(FlujoConfiguration configuration) {
        Map<String, Object> defaults = OptimizationConfig.defaults().values();
        for (Option option : OPTIONS.values()) {
            if (option.core()) {
                option.write(configuration, fieldValue(option, defaults.get(option.name())));
            }
        }
    }

    /** A core value as the field holds it. */
    private static Object fieldValue(Option option, Object value) {
        Class<?> type = option.field().getType();
        if (option.duration()) {
            return value == null ? 0L : ((Duration) value).toMillis();
        }
        if (type == String.class) {
            return value instanceof List<?> list && !list.isEmpty()
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : null;
        }
        if (value instanceof Number n) {
            return type == int.class || type == Integer.class ? (Object) n.intValue()
                    : type == long.class || type == Long.class ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        return value;
    }

    /**
     * A core value as option text, as a URI or {@code reconfigure} takes it: durations in milliseconds (0 for none),
     * amounts as plain decimals, lists comma-separated.
     */
    static Object text(Option option, Object value) {
        if (option.duration()) {
            return value == null ? "0" : Long.toString(((Duration) value).toMillis());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value instanceof BigDecimal amount) {
            return amount.toPlainString();
        }
        return value == null ? null : value.toString();
    }

    /**
     * The options whose values differ between two configurations, with {@code next}'s values as option text: what
     * importing {@code next} changes ({@code reconfigure} applies it, checked as any runtime change is). Amounts that
     * are equal in value are not a change ({@code 0.0} is {@code 0}).
     */
    public static Map<String, Object> changes(OptimizationConfig current, OptimizationConfig next) {
        Map<String, Object> now = current.values();
        Map<String, Object> changes = new LinkedHashMap<>();
        next.values().forEach((name, value) -> {
            Object was = now.get(name);
            boolean same = value instanceof BigDecimal a && was instanceof BigDecimal b
                    ? a.compareTo(b) == 0
                    : java.util.Objects.equals(value, was);
            if (!same) {
                changes.put(name, text(OPTIONS.get(name), value));
            }
        });
        return changes;
    }

    /**
     * Which of the given options (those a user set explicitly) have no effect in this configuration because an option
     * they need is off, each as "option has no effect without prerequisite"; empty when all count.
     */
    public static List<String> ineffective(OptimizationConfig config, Collection<String> setOptions) {
        Map<String, Object> values = config.values();
        List<String> ineffective = new ArrayList<>();
        for (String name : setOptions) {
            Option option = OPTIONS.get(name);
            if (option == null) {
                continue;
            }
            for (String requirement : option.flujo().requires()) {
                List<String> anyOf = List.of(requirement.split("\\|"));
                if (anyOf.stream().noneMatch(p -> on(values.get(p)))) {
                    ineffective.add(name + " has no effect without " + anyOf.stream()
                            .map(p -> values.get(p) instanceof Boolean ? p + "=true" : p + " > 0")
                            .collect(Collectors.joining(" or ")));
                    break;
                }
            }
        }
        return ineffective;
    }

    private static boolean on(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.doubleValue() > 0;
    }

    /** What the optimization statistics list: each {@link FlujoOption#stat()} option's effective value. */
    public static Map<String, Object> stats(OptimizationConfig config, FlujoConfiguration configuration) {
        Map<String, Object> values = config.values();
        Map<String, Object> stats = new LinkedHashMap<>();
        for (Option option : OPTIONS.values()) {
            if (option.flujo().stat()) {
                stats.put(option.statName(), option.core() ? values.get(option.name()) : option.read(configuration));
            }
        }
        return stats;
    }
}
