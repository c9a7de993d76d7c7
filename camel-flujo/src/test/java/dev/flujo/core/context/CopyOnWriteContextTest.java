package dev.flujo.core.context;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CopyOnWriteContextTest {

    @Test
    void ofTakesASnapshotAndSkipsNulls() {
        Map<String, Object> source = new HashMap<>();
        source.put("a", 1);
        source.put("gone", null);
        CopyOnWriteContext context = CopyOnWriteContext.of(source);
        source.put("a", 2);
        source.put("b", 3);

        assertEquals(1, context.get("a"));
        assertNull(context.get("b"));
        assertFalse(context.containsKey("gone"));
        assertEquals(Set.of("a"), context.keys());
        assertEquals(Map.of("a", 1), context.asMap());
        assertEquals(Map.of(), context.writes(), "initial values are not writes");
    }

    @Test
    void emptyContext() {
        FlujoContext empty = FlujoContext.empty();
        assertNull(empty.get("x"));
        assertEquals(Set.of(), empty.keys());
        assertEquals(Map.of(), empty.asMap());
    }

    @Test
    void writesToTheCopyAreNotSeenByTheOriginal() {
        CopyOnWriteContext original = CopyOnWriteContext.of(Map.of("a", 1, "b", 2));
        CopyOnWriteContext copy = original.copy();

        copy.put("a", 10).put("c", 30);

        assertEquals(10, copy.get("a"));
        assertEquals(2, copy.get("b"));
        assertEquals(30, copy.get("c"));
        assertEquals(1, original.get("a"));
        assertNull(original.get("c"));
        assertEquals(Map.of("a", 1, "b", 2), original.asMap());
        assertEquals(Map.of("a", 10, "b", 2, "c", 30), copy.asMap());
    }

    @Test
    void laterWritesToTheOriginalAreNotSeenByTheCopy() {
        CopyOnWriteContext original = CopyOnWriteContext.of(Map.of("a", 1));
        original.put("b", 2); // an unfrozen overlay exists when the copy is taken
        CopyOnWriteContext copy = original.copy();

        original.put("a", 100).put("b", 200).put("c", 300);

        assertEquals(1, copy.get("a"));
        assertEquals(2, copy.get("b"));
        assertNull(copy.get("c"));
        assertEquals(Map.of("a", 100, "b", 200, "c", 300), original.asMap());
    }

    @Test
    void siblingCopiesAreIsolatedFromEachOther() {
        CopyOnWriteContext parent = CopyOnWriteContext.of(Map.of("k", "parent"));
        CopyOnWriteContext left = parent.copy();
        CopyOnWriteContext right = parent.copy();
        CopyOnWriteContext leftChild = left.put("k", "left").copy();

        right.put("k", "right");
        left.put("k", "left again");
        leftChild.put("only", "child");

        assertEquals("parent", parent.get("k"));
        assertEquals("left again", left.get("k"));
        assertEquals("right", right.get("k"));
        assertEquals("left", leftChild.get("k"));
        assertNull(left.get("only"));
        assertNull(parent.get("only"));
    }

    @Test
    void writesRecordOnlyThisCopysWritesInWriteOrder() {
        CopyOnWriteContext original = CopyOnWriteContext.of(Map.of("a", 1));
        original.put("b", 2);
        CopyOnWriteContext copy = original.copy();
        copy.put("z", 26).put("d", 4).put("z", 27);
        original.put("e", 5);

        Map<String, Object> expectedCopy = new LinkedHashMap<>();
        expectedCopy.put("z", 27);
        expectedCopy.put("d", 4);
        assertEquals(expectedCopy, copy.writes());
        assertEquals(List.of("z", "d"), List.copyOf(copy.writes().keySet()));
        assertEquals(Map.of("b", 2, "e", 5), original.writes());
        assertEquals(Map.of(), original.copy().writes());
        assertThrows(UnsupportedOperationException.class, () -> copy.writes().put("x", 1));
    }

    @Test
    void putAllRecordsEveryWrite() {
        CopyOnWriteContext context = CopyOnWriteContext.of(Map.of());
        context.putAll(Map.of("a", 1, "b", 2));
        assertEquals(Map.of("a", 1, "b", 2), context.writes());
        assertEquals(Map.of("a", 1, "b", 2), context.asMap());
    }

    @Test
    void nullKeysAndValuesAreRejected() {
        CopyOnWriteContext context = CopyOnWriteContext.of(Map.of());
        NullPointerException e = assertThrows(NullPointerException.class, () -> context.put("k", null));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
        assertThrows(NullPointerException.class, () -> context.put(null, 1));
        assertEquals(Map.of(), context.writes());
    }

    @Test
    void viewsAreUnmodifiable() {
        CopyOnWriteContext context = CopyOnWriteContext.of(Map.of("a", 1));
        assertThrows(UnsupportedOperationException.class, () -> context.asMap().put("b", 2));
        assertThrows(UnsupportedOperationException.class, () -> context.keys().add("b"));
    }

    @Test
    void typedGetCastsOrNamesTheKey() {
        CopyOnWriteContext context = CopyOnWriteContext.of(Map.of("n", 42));
        assertEquals(42, context.get("n", Integer.class));
        assertNull(context.get("missing", String.class));
        ClassCastException e = assertThrows(ClassCastException.class, () -> context.get("n", String.class));
        assertTrue(e.getMessage().contains("'n'"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }

    @Test
    void longChainsOfCopyThenWriteStillReadCorrectly() {
        int depth = 3 * CopyOnWriteContext.MAX_DEPTH + 5;
        List<CopyOnWriteContext> generations = new ArrayList<>();
        CopyOnWriteContext current = CopyOnWriteContext.of(Map.of("root", "r", "shadowed", -1));
        for (int i = 0; i < depth; i++) {
            current = current.copy();
            current.put("k" + i, i).put("shadowed", i);
            generations.add(current);
        }

        for (int g = 0; g < depth; g++) {
            CopyOnWriteContext ctx = generations.get(g);
            assertEquals("r", ctx.get("root"), "generation " + g);
            assertEquals(g, ctx.get("shadowed"), "generation " + g);
            for (int i = 0; i < depth; i++) {
                assertEquals(i <= g ? Integer.valueOf(i) : null, ctx.get("k" + i), "generation " + g + " key k" + i);
            }
            assertEquals(g + 3, ctx.keys().size(), "generation " + g);
            assertEquals(Map.of("k" + g, g, "shadowed", g), ctx.writes(), "generation " + g);
        }
    }

    @Test
    void longChainsOfCopyFromOneParentStayIsolated() {
        CopyOnWriteContext parent = CopyOnWriteContext.of(Map.of("v", 0));
        List<CopyOnWriteContext> children = new ArrayList<>();
        for (int i = 1; i <= 3 * CopyOnWriteContext.MAX_DEPTH; i++) {
            parent.put("v", i);
            children.add(parent.copy());
        }
        for (int i = 0; i < children.size(); i++) {
            assertEquals(i + 1, children.get(i).get("v"));
        }
        assertEquals(children.size(), parent.get("v"));
    }

    @Test
    void copyOfALargeContextSharesItsValuesInsteadOfCopyingThem() throws Exception {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            values.put("key" + i, i);
        }
        CopyOnWriteContext original = CopyOnWriteContext.of(values);
        CopyOnWriteContext copy = original.copy();

        // structural sharing: both sides read from the very same frozen layer
        Field frozen = CopyOnWriteContext.class.getDeclaredField("frozen");
        frozen.setAccessible(true);
        assertSame(frozen.get(original), frozen.get(copy));

        assertEquals(1000, copy.keys().size());
        assertEquals(999, copy.get("key999"));
        assertEquals(Map.of(), copy.writes());

        copy.put("key0", "changed");
        assertEquals(0, original.get("key0"));
        assertEquals("changed", copy.get("key0"));
        assertSame(frozen.get(original), frozen.get(copy), "a write goes to the copy's own overlay");
    }

    @Test
    void copyingALargeContextAllocatesNoPerEntryMemory() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            values.put("key" + i, i);
        }
        CopyOnWriteContext original = CopyOnWriteContext.of(values);
        CopyOnWriteContext[] copies = new CopyOnWriteContext[1000];
        for (int i = 0; i < copies.length; i++) { // warm up
            copies[i] = original.copy();
        }

        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < copies.length; i++) {
            copies[i] = original.copy();
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;

        // copying the 1000 entries even once per copy would allocate tens of megabytes here
        assertTrue(allocated < 2_000_000, "1000 copies allocated " + allocated + " bytes");
        assertEquals(999, copies[copies.length - 1].get("key999"));
    }
}
