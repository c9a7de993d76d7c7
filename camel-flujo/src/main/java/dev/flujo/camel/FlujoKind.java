package dev.flujo.camel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.flujo.camel.option.OptionCatalog;
import dev.flujo.core.FlujoConfigurationException;

/**
 * The kinds of flujo endpoint: the first part of {@code flujo:kind:name}. Which options each kind takes is declared on
 * the options ({@link FlujoOption#kinds()}); an option set on a kind that ignores it fails the route start rather than
 * being silently dropped.
 */
public enum FlujoKind {

    /** An agent step: prompt processors, agent, output processors, validators, plugins, retries, fallback. */
    STEP,
    /** Branches side by side, each on a copy of the context, writes merged. */
    PARALLEL,
    /** A body again and again until a condition holds or maxLoops. */
    LOOP,
    /** One branch chosen by a Simple expression. */
    CONDITIONAL,
    /** One or several branches chosen by a router agent, run as a parallel step. */
    ROUTER,
    /** A body once per item of a list, in order. */
    MAP,
    /** Pauses the run for a person; saved in the state store. */
    HUMAN,
    /** Continues a paused run with a person's answer. */
    RESUME;

    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this kind uses the option (a {@link FlujoConfiguration} option name), as the option's
     * {@link FlujoOption#kinds()} declares.
     */
    public boolean takes(String option) {
        return OptionCatalog.takes(this, option);
    }

    /** Whether endpoints of this kind need a name ({@code flujo:resume} does not). */
    public boolean needsName() {
        return this != RESUME;
    }

    /** @throws FlujoConfigurationException naming the supported kinds */
    public static FlujoKind of(String kind, String uri) {
        for (FlujoKind k : values()) {
            if (k.uriName().equals(kind)) {
                return k;
            }
        }
        throw new FlujoConfigurationException(
                "Unsupported flujo kind '" + kind + "' in " + uri
                                              + "; supported kinds: " + supported());
    }

    static String supported() {
        return Arrays.stream(values()).map(FlujoKind::uriName).collect(Collectors.joining(", "));
    }

    /** The kinds that take an option, for error messages. */
    public static String kindsTaking(String option) {
        return OptionCatalog.kindsTaking(option);
    }
}
