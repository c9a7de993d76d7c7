package dev.flujo.examples;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Finds every flujo URI, and every {@code camel.component.flujo.*} setting, written in a Markdown page, a Java source,
 * a YAML file or a properties file, with the lines it was written on.
 *
 * <ul>
 * <li>Markdown: fenced {@code java}, {@code yaml}/{@code yml} and {@code properties} blocks are read as such; any other
 * block, the inline code spans and the prose are scanned for {@code flujo:} tokens (up to white space). An inline span
 * that starts with {@code flujo:} is one URI, spaces included; a span {@code camel.component.flujo.x=v} is a
 * setting.</li>
 * <li>Java: string literals joined by {@code +} (across lines and comments) are one string, and so is a variable the
 * same source assigns a string once ({@code String check = "RAW(...)";}); a string that starts with {@code flujo:} is a
 * URI. One joined to anything else is built at run time: it is reported as {@link Kind#UNCHECKABLE}, never skipped. A
 * string holding YAML with a {@code uri:} key is read as YAML. Comments and other strings are scanned for tokens.</li>
 * <li>YAML: a mapping whose {@code uri} starts with {@code flujo:} is one URI together with its {@code parameters}; any
 * other scalar starting with {@code flujo:} is a URI; each entry of a {@code camel: component: flujo:} mapping is a
 * setting; comments are scanned for tokens.</li>
 * <li>Properties: a {@code camel.component.flujo.*} key with its value is a setting; a value starting with
 * {@code flujo:} is a URI; comments and other values are scanned for tokens.</li>
 * </ul>
 *
 * Nothing is resolved or rewritten here: {@code {{placeholders}}} and {@code RAW(...)} values stay as written.
 * {@code flujo:} alone is the scheme's name ({@link Kind#SCHEME}); the strings of {@link #NOTATIONS} are the syntax
 * written with its option names, or a JMX name shortened with "..." ({@link Kind#NOTATION}). A file of any other type
 * that mentions {@code flujo:} is refused rather than skipped.
 */
final class DocumentedUris {

    /** What a found string is. */
    enum Kind {
        URI,
        COMPONENT_PROPERTY,
        SCHEME,
        NOTATION,
        UNCHECKABLE
    }

    /**
     * A string found in a file, on lines {@code line} to {@code lastLine} (1-based). For a YAML endpoint,
     * {@code parameters} holds its {@code parameters:} mapping; for {@link Kind#UNCHECKABLE}, {@code text} says why.
     */
    record Found(Kind kind, String text, Map<String, String> parameters, int line, int lastLine) {

        boolean covers(int lineNumber) {
            return line <= lineNumber && lineNumber <= lastLine;
        }
    }

    /** Not URIs: the URI syntax written with the option names, and a JMX MBean name shortened with "...". */
    static final Map<String, String> NOTATIONS = Map.of(
            "flujo:kind:name", "the URI syntax",
            "flujo:KIND:name", "the URI syntax",
            "flujo://...", "a JMX MBean name, shortened",
            "flujo://step:answer?...", "a JMX MBean name, shortened");

    /** Where the text mentions the scheme; {@code dev.flujo:camel-flujo} (a Maven coordinate) is no mention. */
    static final Pattern MENTION = Pattern.compile("(?<![\\w.-])flujo:");
    private static final Pattern TOKEN = Pattern.compile("(?<![\\w.-])flujo:[^\\s`\"'|]*");
    private static final Pattern COMPONENT_SETTING = Pattern.compile("camel\\.component\\.flujo\\.[^=\\s]+\\s*=.*");
    private static final Pattern FENCE = Pattern.compile("\\s*(`{3,}|~{3,})\\s*([^`\\s]*).*");
    private static final Pattern CODE_SPAN = Pattern.compile("(?<!`)(`+)(?!`)(.+?)(?<!`)\\1(?!`)");
    private static final Pattern YAML_URI = Pattern.compile("(?m)^\\s*(-\\s+)?uri\\s*:");
    private static final YAMLFactory YAML = new YAMLFactory();

    private DocumentedUris() {
    }

    /** What {@code text}, the content of the file {@code name}, holds; its type is read from the name. */
    static List<Found> in(String name, String text) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md")) {
            return markdown(text);
        } else if (lower.endsWith(".java")) {
            return java(text, 1);
        } else if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return yaml(text, 1);
        } else if (lower.endsWith(".properties")) {
            return properties(text, 1);
        } else if (MENTION.matcher(text).find()) {
            throw new IllegalArgumentException(name + " mentions flujo: but no extractor reads a file of its type");
        }
        return List.of();
    }

    // ---- Markdown

    static List<Found> markdown(String text) throws IOException {
        List<Found> found = new ArrayList<>();
        List<String> lines = text.lines().toList();
        int i = 0;
        while (i < lines.size()) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                prose(lines.get(i), i + 1, found);
                i++;
                continue;
            }
            String marker = fence.group(1);
            int end = i + 1;
            while (end < lines.size() && !isClosingFence(lines.get(end), marker)) {
                end++;
            }
            String body = String.join("\n", lines.subList(i + 1, end));
            found.addAll(block(fence.group(2).toLowerCase(Locale.ROOT), body, i + 2));
            i = end + 1;
        }
        return found;
    }

    private static boolean isClosingFence(String line, String marker) {
        String stripped = line.strip();
        return stripped.startsWith(marker) && stripped.chars().allMatch(c -> c == marker.charAt(0));
    }

    private static List<Found> block(String info, String body, int firstLine) throws IOException {
        return switch (info) {
            case "java" -> java(body, firstLine);
            case "yaml", "yml" -> yaml(body, firstLine);
            case "properties" -> properties(body, firstLine);
            default -> tokens(body, firstLine);
        };
    }

    private static void prose(String line, int lineNumber, List<Found> found) {
        StringBuilder outside = new StringBuilder(line);
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            String code = span.group(2).strip();
            if (code.startsWith("flujo:")) {
                found.add(classify(code, lineNumber, lineNumber));
            } else if (COMPONENT_SETTING.matcher(code).matches()) {
                found.add(new Found(Kind.COMPONENT_PROPERTY, code, Map.of(), lineNumber, lineNumber));
            } else {
                found.addAll(tokens(code, lineNumber));
            }
            for (int c = span.start(); c < span.end(); c++) {
                outside.setCharAt(c, ' ');
            }
        }
        found.addAll(tokens(outside.toString(), lineNumber));
    }

    // ---- Java

    private enum Lexeme {
        STRING,
        PLUS,
        OTHER
    }

    private record Token(Lexeme type, String value, int line, int lastLine) {
    }

    static List<Found> java(String source, int firstLine) throws IOException {
        List<Found> found = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        int line = firstLine;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            int start = i;
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (source.startsWith("//", i)) {
                i = indexOrEnd(source, "\n", i);
                found.addAll(tokens(source.substring(start, i), line));
            } else if (source.startsWith("/*", i)) {
                i = indexOrEnd(source, "*/", i + 2) + 2;
                found.addAll(tokens(source.substring(start, Math.min(i, source.length())), line));
                line += newlines(source, start, i);
            } else if (source.startsWith("\"\"\"", i)) {
                i = closingQuote(source, i + 3, "\"\"\"") + 3;
                String raw = source.substring(source.indexOf('\n', start) + 1, i - 3);
                int lastLine = line + newlines(source, start, i);
                tokens.add(new Token(Lexeme.STRING, unescape(raw.stripIndent()), line + 1, lastLine));
                line = lastLine;
            } else if (c == '"' || c == '\'') {
                String quote = String.valueOf(c);
                i = closingQuote(source, i + 1, quote) + 1;
                int lastLine = line + newlines(source, start, i);
                if (c == '"') {
                    tokens.add(new Token(Lexeme.STRING, unescape(source.substring(start + 1, i - 1)), line, lastLine));
                } else {
                    tokens.add(new Token(Lexeme.OTHER, quote, line, lastLine));
                }
                line = lastLine;
            } else if (c == '+' && !source.startsWith("++", i) && !source.startsWith("+=", i)) {
                tokens.add(new Token(Lexeme.PLUS, "+", line, line));
                i++;
            } else if (Character.isJavaIdentifierPart(c)) {
                while (i < source.length() && Character.isJavaIdentifierPart(source.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Lexeme.OTHER, source.substring(start, i), line, line));
            } else {
                i += source.startsWith("++", i) || source.startsWith("+=", i) ? 2 : 1;
                tokens.add(new Token(Lexeme.OTHER, source.substring(start, i), line, line));
            }
        }
        joinLiterals(tokens, found);
        return found;
    }

    /**
     * Strings joined by {@code +}: one value. A part is a literal or a variable of {@code constants}; a chain with no
     * literal is only a use of a variable, already read where it was assigned.
     */
    private static void joinLiterals(List<Token> tokens, List<Found> found) throws IOException {
        Map<String, String> constants = constants(tokens);
        for (int t = 0; t < tokens.size(); t++) {
            boolean continuesAChain = isType(tokens, t - 1, Lexeme.PLUS) && value(tokens, t - 2, constants) != null;
            if (value(tokens, t, constants) == null || continuesAChain) {
                continue;
            }
            StringBuilder value = new StringBuilder(value(tokens, t, constants));
            boolean hasLiteral = tokens.get(t).type() == Lexeme.STRING;
            int last = t;
            while (isType(tokens, last + 1, Lexeme.PLUS) && value(tokens, last + 2, constants) != null) {
                last += 2;
                value.append(value(tokens, last, constants));
                hasLiteral |= tokens.get(last).type() == Lexeme.STRING;
            }
            if (!hasLiteral) {
                continue;
            }
            int line = tokens.get(t).line();
            int lastLine = tokens.get(last).lastLine();
            boolean builtAtRunTime = isType(tokens, t - 1, Lexeme.PLUS) || isType(tokens, last + 1, Lexeme.PLUS);
            String text = value.toString();
            if (text.startsWith("flujo:") && builtAtRunTime) {
                found.add(new Found(
                        Kind.UNCHECKABLE, "\"" + text + "\" is joined to a value known only at run time",
                        Map.of(), line, lastLine));
            } else if (text.startsWith("flujo:")) {
                found.add(classify(text, line, lastLine));
            } else if (text.contains("\n") && YAML_URI.matcher(text).find()) {
                found.addAll(yaml(text, line));
            } else {
                found.addAll(tokensOn(text, line, lastLine));
            }
        }
    }

    /** The token's string: a literal's value, or the value a constant was assigned; null for anything else. */
    private static String value(List<Token> tokens, int index, Map<String, String> constants) {
        if (index < 0 || index >= tokens.size()) {
            return null;
        }
        Token token = tokens.get(index);
        return token.type() == Lexeme.STRING ? token.value() : constants.get(token.value());
    }

    /** Variables assigned a string of literals ({@code name = "a" + "b";}) exactly once in the source. */
    private static Map<String, String> constants(List<Token> tokens) {
        Map<String, String> constants = new LinkedHashMap<>();
        Map<String, Integer> assignments = new LinkedHashMap<>();
        for (int t = 0; t + 2 < tokens.size(); t++) {
            if (tokens.get(t).type() == Lexeme.OTHER && Character.isJavaIdentifierStart(tokens.get(t).value().charAt(0))
                    && tokens.get(t + 1).value().equals("=") && tokens.get(t + 2).type() == Lexeme.STRING) {
                StringBuilder value = new StringBuilder(tokens.get(t + 2).value());
                int last = t + 2;
                while (isType(tokens, last + 1, Lexeme.PLUS) && isType(tokens, last + 2, Lexeme.STRING)) {
                    last += 2;
                    value.append(tokens.get(last).value());
                }
                if (last + 1 < tokens.size() && tokens.get(last + 1).value().equals(";")) {
                    constants.put(tokens.get(t).value(), value.toString());
                    assignments.merge(tokens.get(t).value(), 1, Integer::sum);
                }
            }
        }
        assignments.forEach((name, count) -> {
            if (count > 1) {
                constants.remove(name);
            }
        });
        return constants;
    }

    private static boolean isType(List<Token> tokens, int index, Lexeme type) {
        return index >= 0 && index < tokens.size() && tokens.get(index).type() == type;
    }

    private static int closingQuote(String source, int from, String quote) {
        int i = from;
        while (i < source.length() && !source.startsWith(quote, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, source.length());
    }

    private static String unescape(String literal) {
        Matcher unicode = Pattern.compile("\\\\u+([0-9a-fA-F]{4})").matcher(literal);
        String text = unicode.replaceAll(m -> Matcher.quoteReplacement(
                String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        return text.translateEscapes();
    }

    // ---- YAML

    /** A YAML node with the lines it spans: a scalar, a mapping or a sequence; {@code keyLine}: its key's line. */
    private record Node(String scalar, Map<String, Node> mapping, List<Node> sequence, int keyLine, int line,
            int lastLine) {
    }

    static List<Found> yaml(String text, int firstLine) throws IOException {
        List<Found> found = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            while (parser.nextToken() != null) {
                walk(read(parser, firstLine - 1, -1), List.of(), found);
            }
        }
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int comment = yamlComment(lines.get(i));
            if (comment >= 0) {
                found.addAll(tokens(lines.get(i).substring(comment), firstLine + i));
            }
        }
        return found;
    }

    private static Node read(JsonParser parser, int lineOffset, int keyLine) throws IOException {
        int line = parser.currentTokenLocation().getLineNr() + lineOffset;
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node> mapping = new LinkedHashMap<>();
            int last = line;
            while (parser.nextToken() != JsonToken.END_OBJECT) {
                String key = parser.currentName();
                int valueKeyLine = parser.currentTokenLocation().getLineNr() + lineOffset;
                parser.nextToken();
                Node value = read(parser, lineOffset, valueKeyLine);
                mapping.put(key, value);
                last = Math.max(last, value.lastLine());
            }
            return new Node(null, mapping, null, keyLine, line, last);
        } else if (token == JsonToken.START_ARRAY) {
            List<Node> sequence = new ArrayList<>();
            int last = line;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Node value = read(parser, lineOffset, -1);
                sequence.add(value);
                last = Math.max(last, value.lastLine());
            }
            return new Node(null, null, sequence, keyLine, line, last);
        }
        return new Node(token == JsonToken.VALUE_NULL ? "" : parser.getText(), null, null, keyLine, line, line);
    }

    /** {@code path}: the keys leading to the node; {@code camel: component: flujo:} holds component settings. */
    private static void walk(Node node, List<String> path, List<Found> found) {
        if (node.sequence() != null) {
            node.sequence().forEach(n -> walk(n, path, found));
        } else if (node.mapping() != null && path.equals(List.of("camel", "component", "flujo"))) {
            found.add(new Found(Kind.SCHEME, "flujo:", Map.of(), node.keyLine(), node.keyLine()));
            node.mapping().forEach((key, value) -> found.add(value.scalar() == null
                    ? new Found(
                            Kind.UNCHECKABLE, "camel.component.flujo." + key + " is not a scalar", Map.of(),
                            value.keyLine(), value.lastLine())
                    : new Found(
                            Kind.COMPONENT_PROPERTY, "camel.component.flujo." + key + "=" + value.scalar(),
                            Map.of(), value.keyLine(), value.lastLine())));
        } else if (node.mapping() != null) {
            Node uri = node.mapping().get("uri");
            if (uri != null && uri.scalar() != null && uri.scalar().strip().startsWith("flujo:")) {
                found.add(endpoint(uri, node.mapping().get("parameters")));
            }
            node.mapping().forEach((key, value) -> {
                if (value != uri) {
                    List<String> below = new ArrayList<>(path);
                    below.add(key);
                    walk(value, below, found);
                }
            });
        } else if (node.scalar().strip().startsWith("flujo:")) {
            found.add(classify(node.scalar().strip(), node.line(), node.line()));
        } else {
            found.addAll(tokensOn(node.scalar(), node.line(), node.line()));
        }
    }

    private static Found endpoint(Node uri, Node parameters) {
        String text = uri.scalar().strip();
        if (parameters == null) {
            return classify(text, uri.line(), uri.line());
        }
        int lastLine = Math.max(uri.line(), parameters.lastLine());
        if (parameters.mapping() == null) {
            return new Found(
                    Kind.UNCHECKABLE, text + ": its parameters are not a mapping", Map.of(), uri.line(),
                    lastLine);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Node> p : parameters.mapping().entrySet()) {
            if (p.getValue().scalar() == null) {
                return new Found(
                        Kind.UNCHECKABLE, text + ": parameter " + p.getKey() + " is not a scalar", Map.of(),
                        uri.line(), lastLine);
            }
            values.put(p.getKey(), p.getValue().scalar());
        }
        return new Found(Kind.URI, text, values, uri.line(), lastLine);
    }

    /** Where a YAML comment starts on the line ({@code #} after white space, outside quotes), or -1. */
    private static int yamlComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    // ---- properties

    static List<Found> properties(String text, int firstLine) throws IOException {
        List<Found> found = new ArrayList<>();
        List<String> lines = text.lines().toList();
        int i = 0;
        while (i < lines.size()) {
            int line = firstLine + i;
            StringBuilder logical = new StringBuilder(lines.get(i).stripLeading());
            while (endsWithContinuation(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(lines.get(++i).stripLeading());
            }
            i++;
            String entry = logical.toString();
            int lastLine = firstLine + i - 1;
            if (entry.isEmpty() || entry.startsWith("#") || entry.startsWith("!")) {
                found.addAll(tokens(entry, line));
                continue;
            }
            Properties parsed = new Properties();
            parsed.load(new StringReader(entry));
            String key = parsed.stringPropertyNames().iterator().next();
            String value = parsed.getProperty(key).strip();
            if (key.startsWith("camel.component.flujo.")) {
                found.add(new Found(Kind.COMPONENT_PROPERTY, key + "=" + value, Map.of(), line, lastLine));
            }
            if (value.startsWith("flujo:")) {
                found.add(classify(value, line, lastLine));
            } else {
                found.addAll(tokensOn(value, line, lastLine));
            }
        }
        return found;
    }

    private static boolean endsWithContinuation(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    // ---- shared

    /**
     * The {@code flujo:} tokens of free text (up to white space, a quote, a backtick or a table bar, without trailing
     * punctuation), each on its line of the file: the text starts on {@code firstLine}.
     */
    private static List<Found> tokens(String text, int firstLine) {
        List<Found> found = new ArrayList<>();
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            int line = firstLine + newlines(text, 0, token.start());
            found.add(classify(trimPunctuation(token.group()), line, line));
        }
        return found;
    }

    /** The tokens of a string whose lines are not the file's (a joined Java string), all on {@code line..lastLine}. */
    private static List<Found> tokensOn(String text, int line, int lastLine) {
        return tokens(text, line).stream()
                .map(f -> new Found(f.kind(), f.text(), f.parameters(), line, lastLine))
                .toList();
    }

    /** Without trailing punctuation (an ellipsis stays) nor a closing bracket the token does not open. */
    private static String trimPunctuation(String token) {
        String t = token;
        while (t.length() > "flujo:".length()) {
            char last = t.charAt(t.length() - 1);
            int closer = ")}]".indexOf(last);
            boolean punctuation = ".,;:".indexOf(last) >= 0 && !t.endsWith("...");
            boolean unopened = closer >= 0
                    && count(t, last) > count(t, "({[".charAt(closer));
            if (!punctuation && !unopened) {
                break;
            }
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static long count(String text, char c) {
        return text.chars().filter(x -> x == c).count();
    }

    private static Found classify(String text, int line, int lastLine) {
        Kind kind = text.equals("flujo:") ? Kind.SCHEME : NOTATIONS.containsKey(text) ? Kind.NOTATION : Kind.URI;
        return new Found(kind, text, Map.of(), line, lastLine);
    }

    private static int indexOrEnd(String text, String what, int from) {
        int index = text.indexOf(what, from);
        return index < 0 ? text.length() : index;
    }

    private static int newlines(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < Math.min(to, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }
}
