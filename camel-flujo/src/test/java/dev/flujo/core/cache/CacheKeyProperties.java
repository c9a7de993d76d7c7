package dev.flujo.core.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.reliability.PropertyFigures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a cache key promises (CacheKey, StepCache.keyFor): a cached output is served for an equal step, input and listed
 * context values, and for nothing else. Inputs are generated as text (with pieces whose String.hashCode collides, "Aa"
 * and "BB"), bytes, numbers of two types, maps, arrays and nested arrays, and each is compared with a fresh copy of
 * itself or with a near miss (one character, one byte, Integer 1 against Long 1, "1" against 1, text against its bytes,
 * null against "null"), so both sides of "equal" are exercised.
 *
 * <p>
 * Tagged {@code property}: it runs in the test command with jqwik's default tries and in the stress profile with
 * {@code jqwik.tries.default} raised, which records its figure ({@link PropertyFigures}).
 */
@Tag("property")
@AddLifecycleHook(PropertyFigures.class)
@PropertyFigures.What(what = "Cache keys, generated steps, inputs and context values (jqwik): equal ones give equal"
                             + " keys and hashes, any difference gives unequal keys, plain and 128-bit keys alike; a step cache never"
                             + " serves another input's or tenant's output; different fingerprint parts never give one fingerprint",
                      found = "no key bug found; arrays inside a map or list compare by identity (a miss, never a wrong hit):"
                              + " documented")
class CacheKeyProperties {

    /** One key's parts. */
    record Parts(String fingerprint, Object input, Object[] contextValues) {

        boolean sameAs(Parts other) {
            return fingerprint.equals(other.fingerprint) && Objects.deepEquals(input, other.input)
                    && Arrays.deepEquals(contextValues, other.contextValues);
        }

        CacheKey key(boolean wide) {
            return wide
                    ? CacheKey.wide(fingerprint, input, contextValues)
                    : new CacheKey(fingerprint, input, contextValues);
        }

        @Override
        public String toString() {
            return "Parts[" + fingerprint + ", " + Arrays.deepToString(new Object[] { input }) + ", "
                   + Arrays.deepToString(contextValues) + "]";
        }
    }

    /**
     * Equal step fingerprint, input and context values give equal keys with equal hash codes, whether the parts are the
     * same objects or equal copies, for plain and for 128-bit (wide) keys.
     */
    @Property
    void equalPartsGiveEqualKeysAndHashes(@ForAll("parts") Parts parts, @ForAll boolean wide) {
        Parts copy = new Parts(
                new String(parts.fingerprint()), copyOf(parts.input()),
                (Object[]) copyOf(parts.contextValues()));
        CacheKey a = parts.key(wide);
        CacheKey b = copy.key(wide);

        assertEquals(a, b);
        assertEquals(b, a);
        assertEquals(a.hashCode(), b.hashCode());
    }

    /**
     * Keys are equal exactly when their fingerprints, inputs (by content, arrays too) and context values are: any
     * difference in one of them gives unequal keys, plain or wide, even when the hash codes collide.
     */
    @Property
    void keysAreEqualExactlyWhenTheirPartsAre(
            @ForAll("pairsOfParts") Tuple.Tuple2<Parts, Parts> pair,
            @ForAll boolean wide) {
        Parts a = pair.get1();
        Parts b = pair.get2();
        boolean same = a.sameAs(b);
        Statistics.label("parts").collect(same ? "equal" : "different");
        Statistics.label("hashes").collect(!same && a.key(wide).hashCode() == b.key(wide).hashCode()
                ? "different parts, same hash" : "other");

        assertEquals(same, a.key(wide).equals(b.key(wide)));
        assertEquals(same, b.key(wide).equals(a.key(wide)));
        Statistics.label("parts").coverage(c -> {
            c.check("equal").percentage(p -> p > 10);
            c.check("different").percentage(p -> p > 30);
        });
        // the full comparison behind an equal hash is exercised, not only the hash
        Statistics.label("hashes").coverage(c -> c.check("different parts, same hash").count(n -> n > 0));
    }

    /**
     * Plain and wide keys of many inputs, in one map: a lookup with an equal copy of one input's parts finds that
     * input's value or nothing, never another input's; and a StepCache of either kind serves each input its own output.
     */
    @Property
    void noKeyEverFindsAnotherInputsValue(@ForAll("manyParts") List<Parts> entries, @ForAll boolean wideCache) {
        Map<CacheKey, Integer> both = new HashMap<>();
        StepCache cache = new StepCache(
                "fp", List.of(), 10_000, null, () -> 0L,
                new StepCache.Options(wideCache, null, null));
        List<Parts> distinct = new ArrayList<>();
        for (Parts p : entries) {
            if (distinct.stream().noneMatch(p::sameAs)) {
                distinct.add(p);
            }
        }
        for (int i = 0; i < distinct.size(); i++) {
            both.put(distinct.get(i).key(false), i);
            both.put(distinct.get(i).key(true), i);
            cache.put(cache.keyFor(distinct.get(i).input(), FlujoContext.empty()), i);
        }
        for (int i = 0; i < distinct.size(); i++) {
            Parts p = distinct.get(i);
            Parts copy = new Parts(new String(p.fingerprint()), copyOf(p.input()), (Object[]) copyOf(p.contextValues()));
            assertEquals(i, both.get(copy.key(false)), () -> "plain key of " + copy);
            assertEquals(i, both.get(copy.key(true)), () -> "wide key of " + copy);
        }
        // the step cache's keys have one fingerprint and no context: only the input tells them apart
        Map<Object, Integer> firstByInput = new LinkedHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            Object input = distinct.get(i).input();
            if (firstByInput.keySet().stream().noneMatch(seen -> Objects.deepEquals(seen, input))) {
                firstByInput.put(input, i);
            }
        }
        for (Map.Entry<Object, Integer> e : firstByInput.entrySet()) {
            int last = -1;
            for (int i = 0; i < distinct.size(); i++) {
                if (Objects.deepEquals(distinct.get(i).input(), e.getKey())) {
                    last = i; // a later put of an equal input replaced the value
                }
            }
            assertEquals(last, cache.get(cache.keyFor(copyOf(e.getKey()), FlujoContext.empty())));
        }
    }

    /**
     * StepCache.keyFor with listed context keys (cacheKeyContext=tenant,region): two contexts give the same key exactly
     * when every listed key holds equal values in both; an absent key and a null value are the same (the context holds
     * no nulls), the text "null" is not; keys not listed never matter.
     */
    @Property
    void listedContextValuesTellKeysApart(
            @ForAll("contexts") Map<String, Object> first,
            @ForAll("contexts") Map<String, Object> second,
            @ForAll boolean wide) {
        StepCache cache = new StepCache(
                "fp", List.of("tenant", "region"), 100, null, () -> 0L,
                new StepCache.Options(wide, null, null));
        boolean same = Objects.equals(first.get("tenant"), second.get("tenant"))
                && Objects.equals(first.get("region"), second.get("region"));
        Statistics.collect(same ? "same listed values" : "different listed values");

        CacheKey a = cache.keyFor("same question", FlujoContext.of(first));
        CacheKey b = cache.keyFor("same question", FlujoContext.of(second));
        assertEquals(same, a.equals(b), () -> first + " / " + second);
        cache.put(a, "answer for " + first);
        if (same) {
            assertEquals("answer for " + first, cache.get(b));
        } else {
            assertNull(cache.get(b), "another tenant's answer");
        }
        Statistics.coverage(c -> c.check("same listed values").percentage(p -> p > 10));
    }

    /**
     * CacheKey.fingerprint: two lists of named parts give one fingerprint exactly when they are equal. Values hold the
     * encoding's own characters ({@code |}, {@code =}, digits, {@code :}, {@code -}); null differs from {@code "null"};
     * and the pairs include ones that read the same as {@code name=value|name=value}.
     */
    @Property
    void fingerprintsAreEqualExactlyWhenTheirPartsAre(
            @ForAll("fingerprintParts") Tuple.Tuple2<List<String>, List<String>> pair) {
        List<String> a = pair.get1();
        List<String> b = pair.get2();
        boolean same = a.equals(b);
        Statistics.collect(same ? "equal parts" : "different parts");

        assertEquals(same, CacheKey.fingerprint(a.toArray(String[]::new))
                .equals(CacheKey.fingerprint(b.toArray(String[]::new))), () -> a + " / " + b);
        Statistics.coverage(c -> c.check("equal parts").percentage(p -> p > 5));
    }

    // --- generators -----------------------------------------------------------------------------------------------

    /**
     * Name, value pairs, against: independent ones, an equal copy, one value null against "null", or the same text
     * under name=value|name=value split at another "|name=".
     */
    @Provide
    Arbitrary<Tuple.Tuple2<List<String>, List<String>>> fingerprintParts() {
        Arbitrary<String> value = Arbitraries.of("|", "=", ":", "1", "2:", "-", "null", "agent=", "x").list()
                .ofMaxSize(3).map(pieces -> String.join("", pieces)).injectNull(0.2);
        Arbitrary<List<String>> parts = Combinators.combine(Arbitraries.of("step", "agent"), value).as(Arrays::asList)
                .list().ofMinSize(1).ofMaxSize(3).map(pairs -> {
                    List<String> flat = new ArrayList<>();
                    pairs.forEach(flat::addAll);
                    return flat;
                });
        Arbitrary<Tuple.Tuple2<List<String>, List<String>>> independent = Combinators.combine(parts, parts)
                .as(Tuple::of);
        Arbitrary<Tuple.Tuple2<List<String>, List<String>>> copy = parts.map(p -> Tuple.of(p,
                p.stream().map(v -> v == null ? null : new String(v)).toList()));
        Arbitrary<Tuple.Tuple2<List<String>, List<String>>> nullText = Combinators.combine(parts,
                Arbitraries.integers().between(0, 2)).as((p, i) -> {
                    List<String> other = new ArrayList<>(p);
                    int at = 2 * (i % (p.size() / 2)) + 1;
                    other.set(at, p.get(at) == null ? "null" : null);
                    return Tuple.of(p, other);
                });
        // (n1, x + "|n2=" + y, n2, z) against (n1, x, n2, y + "|n2=" + z): "n1=x|n2=y|n2=z" both ways
        Arbitrary<Tuple.Tuple2<List<String>, List<String>>> resplit = Combinators.combine(
                Arbitraries.of("step", "agent"), Arbitraries.of("agent", "prompt"), value.map(String::valueOf),
                value.map(String::valueOf), value.map(String::valueOf)).as(
                        (n1, n2, x, y, z) -> Tuple.of(
                                Arrays.asList(n1, x + "|" + n2 + "=" + y, n2, z),
                                Arrays.asList(n1, x, n2, y + "|" + n2 + "=" + z)));
        return Arbitraries.frequencyOf(Tuple.of(2, independent), Tuple.of(1, copy), Tuple.of(1, nullText),
                Tuple.of(2, resplit));
    }

    @Provide
    Arbitrary<Parts> parts() {
        return Combinators.combine(texts(), inputs(), contextValues()).as(Parts::new);
    }

    /** A key's parts and either an equal copy or a near miss in one, two or all three parts. */
    @Provide
    Arbitrary<Tuple.Tuple2<Parts, Parts>> pairsOfParts() {
        Arbitrary<Integer> change = Arbitraries.integers().between(0, 9);
        return Combinators.combine(parts(), change, change, change).as((p, f, i, c) -> Tuple.of(p,
                new Parts(
                        f < 7 ? new String(p.fingerprint()) : nearMissText(p.fingerprint(), f),
                        i < 6 ? copyOf(p.input()) : nearMiss(p.input(), i),
                        c < 7 ? (Object[]) copyOf(p.contextValues()) : nearMiss(p.contextValues(), c))));
    }

    @Provide
    Arbitrary<List<Parts>> manyParts() {
        // few fingerprints and contexts, so that many entries differ by their input only
        Arbitrary<Parts> narrow = Combinators.combine(Arbitraries.of("fp", "fp|x"), inputs(),
                Arbitraries.of(new Object[0], new Object[] { "acme" })).as(Parts::new);
        return narrow.list().ofMinSize(1).ofMaxSize(12);
    }

    /** Listed keys tenant and region, and one that is not listed; a value may be null (the same as absent). */
    @Provide
    Arbitrary<Map<String, Object>> contexts() {
        Arbitrary<Object> value = Arbitraries.of("acme", "ACME", "null", "", "1").map(v -> (Object) v)
                .injectNull(0.25);
        Arbitrary<Object> number = Arbitraries.of(1, 2).map(v -> (Object) v);
        Arbitrary<Object> any = Arbitraries.oneOf(value, number);
        return Combinators.combine(any, any, any).as((tenant, region, other) -> {
            Map<String, Object> map = new HashMap<>();
            map.put("tenant", tenant);
            map.put("region", region);
            map.put("other", other);
            return map;
        }).flatMap(m -> Arbitraries.subsetOf(m.keySet()).map(keep -> {
            Map<String, Object> kept = new HashMap<>(m);
            kept.keySet().retainAll(keep);
            return kept;
        }));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.of("Aa", "BB", "a", "|", "=", "é", "null", " ").list().ofMaxSize(4)
                .map(pieces -> String.join("", pieces));
    }

    private static Arbitrary<Object> inputs() {
        Arbitrary<Object> text = texts().map(s -> (Object) s);
        Arbitrary<Object> bytes = Arbitraries.bytes().between((byte) 0, (byte) 3).array(byte[].class).ofMaxSize(4)
                .map(b -> (Object) b);
        Arbitrary<Object> integer = Arbitraries.integers().between(0, 2).map(i -> (Object) i);
        Arbitrary<Object> longs = Arbitraries.longs().between(0, 2).map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(texts(), Arbitraries.integers().between(0, 2)).ofMaxSize(2)
                .map(m -> (Object) new HashMap<>(m));
        Arbitrary<Object> strings = texts().array(String[].class).ofMaxSize(3).map(a -> (Object) a);
        Arbitrary<Object> nested = Arbitraries.oneOf(text, bytes, integer).list().ofMaxSize(3)
                .map(l -> (Object) l.toArray());
        return Arbitraries.frequencyOf(Tuple.of(4, text), Tuple.of(3, bytes), Tuple.of(1, integer), Tuple.of(1, longs),
                Tuple.of(1, map), Tuple.of(1, strings), Tuple.of(1, nested), Tuple.of(1, Arbitraries.just(null)));
    }

    private static Arbitrary<Object[]> contextValues() {
        return Arbitraries.of("acme", "null", "", "1").map(v -> (Object) v).injectNull(0.2)
                .list().ofMaxSize(2).map(List::toArray);
    }

    // --- copies and near misses -----------------------------------------------------------------------------------

    /** An equal value that shares no array or string with {@code value}. */
    static Object copyOf(Object value) {
        if (value instanceof String s) {
            return new String(s);
        }
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof String[] a) {
            return Arrays.stream(a).map(String::new).toArray(String[]::new);
        }
        if (value instanceof Object[] a) {
            return Arrays.stream(a).map(CacheKeyProperties::copyOf).toArray();
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new HashMap<>();
            m.forEach((k, v) -> copy.put(copyOf(k), copyOf(v)));
            return copy;
        }
        return value;
    }

    /** A text close to {@code text}: one "Aa" made "BB" (the same String.hashCode), or one character more or less. */
    static String nearMissText(String text, int how) {
        return switch (how % 3) {
            case 0 -> text.contains("Aa") ? text.replaceFirst("Aa", "BB") : text + "|";
            case 1 -> text.isEmpty() ? "=" : text.substring(1);
            default -> text + " ";
        };
    }

    /** A value close to {@code value}, most often unequal; {@code how} picks the kind of change. */
    static Object nearMiss(Object value, int how) {
        if (value == null) {
            return how % 2 == 0 ? "null" : new byte[0];
        }
        if (value instanceof String s) {
            return how % 4 == 3 ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : nearMissText(s, how);
        }
        if (value instanceof byte[] b) {
            if (b.length == 0 || how % 2 == 0) {
                byte[] longer = Arrays.copyOf(b, b.length + 1);
                return longer;
            }
            byte[] flipped = b.clone();
            flipped[how % b.length] ^= 1;
            return flipped;
        }
        if (value instanceof Integer i) {
            return how % 2 == 0 ? (Object) Long.valueOf(i) : String.valueOf(i); // 1L, "1"
        }
        if (value instanceof Long l) {
            return how % 2 == 0 ? (Object) Integer.valueOf(l.intValue()) : l + 1;
        }
        if (value instanceof String[] a) {
            return how % 2 == 0 ? Arrays.copyOf(a, a.length + 1) : (Object) Arrays.copyOf(a, a.length, Object[].class);
        }
        if (value instanceof Object[] a) {
            if (a.length == 0) {
                return new Object[] { null };
            }
            Object[] changed = (Object[]) copyOf(a);
            changed[how % a.length] = nearMiss(a[how % a.length], how);
            return changed;
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> changed = new HashMap<>(m);
            changed.put("Aa", m.containsKey("Aa") ? -1 : 0);
            return changed;
        }
        return List.of(value);
    }

    private static Object[] nearMiss(Object[] values, int how) {
        return (Object[]) nearMiss((Object) values, how);
    }
}
