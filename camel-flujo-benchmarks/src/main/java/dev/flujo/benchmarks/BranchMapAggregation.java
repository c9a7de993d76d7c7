package dev.flujo.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The plain Camel way to get what {@code flujo:parallel} replies with, for {@code multicast().parallelProcessing()}: a
 * map from branch name to the branch's output body, in declared order, on an exchange that also carries every property
 * the branches set (a key set by several branches keeps the last one aggregated; the benchmark's branches set different
 * keys, so nothing is lost).
 *
 * <p>
 * Branches complete in any order, so outputs are collected by multicast index and turned into the map once all have
 * arrived: {@code onCompletion} runs before the multicast copies the result onto the original exchange.
 */
final class BranchMapAggregation implements AggregationStrategy {

    private final List<String> names;

    BranchMapAggregation(List<String> names) {
        this.names = List.copyOf(names);
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Object output = newExchange.getMessage().getBody();
        int index = newExchange.getProperty(ExchangePropertyKey.MULTICAST_INDEX, Integer.class);
        if (oldExchange == null) {
            // the first branch to finish becomes the result: its own properties are already on it
            Object[] outputs = new Object[names.size()];
            outputs[index] = output;
            newExchange.getMessage().setBody(outputs);
            return newExchange;
        }
        ((Object[]) oldExchange.getMessage().getBody())[index] = output;
        // getProperties() holds the user properties only (Camel 4 keeps its own elsewhere): the input's, unchanged,
        // and the one this branch set
        oldExchange.getProperties().putAll(newExchange.getProperties());
        return oldExchange;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange == null || !(exchange.getMessage().getBody() instanceof Object[] outputs)) {
            return;
        }
        Map<String, Object> byBranch = new LinkedHashMap<>();
        for (int i = 0; i < outputs.length; i++) {
            byBranch.put(names.get(i), outputs[i]);
        }
        exchange.getMessage().setBody(byBranch);
    }
}
