package dev.flujo.camel.branch;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.agent.EndpointProducers;
import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.flow.BranchCall;
import dev.flujo.core.flow.FlujoBranch;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultExchange;

/**
 * A branch (or loop / map body) that is a Camel endpoint, usually a {@code direct:} route.
 *
 * <p>
 * Each call sends a copy of the composite step's exchange (headers kept, so the branch route sees them) whose body is
 * the branch input and whose user properties are the branch's own context copy; the {@code CamelFlujoRun} property is
 * the branch run, so flujo steps inside the route book usage to the run and stop when the branch is cancelled. When the
 * route ends, every user property it changed is a write of the branch, merged by the composite step; a property set to
 * the value it already had changed nothing, and a removed property is not a write (branches cannot delete context
 * keys). Values are copied shallowly, as Camel's own exchange copies are: a mutable value shared with the parent is
 * shared.
 *
 * <p>
 * A route that ends normally has not necessarily succeeded: a Camel handler on it ({@code onException(...)
 * .handled(true)}, a {@code doCatch}) may have caught a usage-limit breach of a flujo step inside it, or the
 * cancellation of the branch. The branch run remembers both, so the branch then fails with that breach (or
 * cancellation), whatever the handler made of it: the composite step that owns the branch ends with
 * {@link UsageLimitExceededException} (or fails), never with the handler's body as a successful branch.
 */
final class EndpointBranch implements FlujoBranch {

    private final CamelContext camelContext;
    private final EndpointProducers.Call producer;

    EndpointBranch(CamelContext camelContext, EndpointProducers.Call producer) {
        this.camelContext = camelContext;
        this.producer = producer;
    }

    @Override
    public CompletionStage<Object> run(BranchCall call) {
        Exchange parent = ExchangeContext.exchangeOf(call.parentContext());
        Exchange exchange = parent != null ? parent.copy() : new DefaultExchange(camelContext);
        exchange.setException(null);
        exchange.setPattern(ExchangePattern.InOut);
        exchange.getProperties().keySet().removeIf(key -> !ExchangeContext.isReserved(key));
        Map<String, Object> before = call.context().asMap();
        before.forEach(exchange::setProperty);
        exchange.setProperty(FlujoConstants.RUN, call.run());
        exchange.removeProperty(FlujoConstants.FALLBACK_CHAIN);
        Message message = exchange.getMessage();
        message.removeHeaders(FlujoConstants.PREFIX + "*"); // result headers of earlier steps are not this branch's
        message.setHeader(FlujoConstants.BRANCH, call.branchName());
        message.setBody(call.input());
        CompletableFuture<Object> done = new CompletableFuture<>();
        try {
            producer.send(exchange, doneSync -> complete(exchange, before, call, done));
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
        return done;
    }

    private static void complete(
            Exchange exchange, Map<String, Object> before, BranchCall call, CompletableFuture<Object> done) {
        if (exchange.getException() != null) {
            done.completeExceptionally(exchange.getException());
            return;
        }
        Throwable swallowed = swallowedStop(call);
        if (swallowed != null) {
            done.completeExceptionally(swallowed);
            return;
        }
        try {
            exchange.getProperties().forEach((key, value) -> {
                // a property set to the value it had changed nothing, and is no write (as for every branch kind)
                if (!ExchangeContext.isReserved(key) && value != null && !Objects.equals(before.get(key), value)) {
                    call.context().put(key, value);
                }
            });
            done.complete(exchange.getMessage().getBody());
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /**
     * What stopped the branch although its route ended normally: a usage-limit breach raised inside the branch (the
     * run's budget is spent), else the branch run's cancellation; {@code null} when neither happened.
     */
    private static Throwable swallowedStop(BranchCall call) {
        FlujoRun run = call.run();
        UsageLimitExceededException breach = run.breach();
        if (breach != null) {
            return new UsageLimitExceededException(
                    breach.getStepName(), breach.getBreach(), run.limits(), run.usage(), run.history());
        }
        Throwable cancelled = run.cancellation();
        if (cancelled != null) {
            return new FlujoCancelledException(call.stepName() + "/" + call.branchName(), cancelled);
        }
        return null;
    }
}
