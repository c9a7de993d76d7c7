package dev.flujo.camel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.flujo.core.FlujoConfigurationException;

/** The kinds of flujo endpoint: the first part of {@code flujo:kind:name}. */
public enum FlujoKind {

    /** An agent step: prompt processors, agent, output processors, validators, plugins, retries, fallback. */
    STEP;

    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws FlujoConfigurationException naming the supported kinds */
    public static FlujoKind of(String kind, String uri) {
        for (FlujoKind k : values()) {
            if (k.uriName().equals(kind)) {
                return k;
            }
        }
        throw new FlujoConfigurationException("Unsupported flujo kind '" + kind + "' in " + uri
                + "; supported kinds: " + supported());
    }

    static String supported() {
        return Arrays.stream(values()).map(FlujoKind::uriName).collect(Collectors.joining(", "));
    }
}
