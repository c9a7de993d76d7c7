package dev.flujo.camel.option;

import java.util.regex.Pattern;

import org.apache.camel.util.SensitiveUtils;
import org.apache.camel.util.URISupport;

/**
 * Flujo endpoint URIs as they may be shown: in errors, statistics keys and the dev console.
 *
 * <p>
 * A flujo URI names other endpoints in its options ({@code agent=http://llm.local/v1?apiKey=...}), and Camel's
 * normalized endpoint URI percent-encodes such a value ({@code agent=http%3A%2F%2Fllm.local%2Fv1%3FapiKey%3D...}),
 * where {@link URISupport#sanitizeUri} no longer sees the key. This masks the secrets of those encoded URIs too: the
 * value of every sensitive parameter (Camel's list) and a userinfo password.
 */
public final class FlujoUris {

    /** {@code %3F} or {@code %26}, a name holding a sensitive key, {@code %3D}, then the value up to {@code %26}. */
    private static final Pattern ENCODED_SECRETS = Pattern.compile("((?:%3F|%26)(?:(?!%3D)[^=&])*?(?:"
                                                                   + SensitiveUtils.getSensitivePattern()
                                                                   + ")(?:(?!%3D)[^=&])*%3D)(?:(?!%26)[^&])*",
            Pattern.CASE_INSENSITIVE);
    /** {@code scheme%3A%2F%2Fuser%3Apassword%40host}. */
    private static final Pattern ENCODED_USERINFO_PASSWORD = Pattern.compile(
            "(%3A%2F%2F(?:(?!%3A|%40)[^&/@:])+%3A)(?:(?!%40)[^&])+(%40)", Pattern.CASE_INSENSITIVE);

    private FlujoUris() {
    }

    /** {@link URISupport#sanitizeUri}, and the same inside percent-encoded option values. */
    public static String sanitize(String uri) {
        String sanitized = URISupport.sanitizeUri(uri);
        if (sanitized == null || sanitized.indexOf('%') < 0) {
            return sanitized;
        }
        sanitized = ENCODED_SECRETS.matcher(sanitized).replaceAll("$1xxxxxx");
        return ENCODED_USERINFO_PASSWORD.matcher(sanitized).replaceAll("$1xxxxxx$2");
    }
}
