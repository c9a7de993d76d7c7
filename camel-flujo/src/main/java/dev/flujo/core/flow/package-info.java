/**
 * The composite kinds: steps made of steps. Each is a {@link dev.flujo.core.exec.FlujoPlan} built once when its
 * endpoint starts, and each ends like an agent step - a {@link dev.flujo.core.result.StepResult} recorded in the run
 * (one child per branch, each holding its branch's step results) or one of the core's typed exceptions.
 *
 * <ul>
 * <li>{@link dev.flujo.core.flow.ParallelPlan}, {@link dev.flujo.core.flow.MapPlan},
 * {@link dev.flujo.core.flow.ConditionalPlan} and {@link dev.flujo.core.flow.RouterPlan} share one engine,
 * {@code FanOut}: each branch runs on its own copy-on-write copy of the context, in a <em>branch run</em> that shares
 * the run's ledger (limits hold across branches) and can be cancelled on its own.</li>
 * <li>{@link dev.flujo.core.flow.LoopPlan} runs its body in sequence, merging each iteration's writes back.</li>
 * <li>{@link dev.flujo.core.flow.HumanPlan} saves the run in a {@link dev.flujo.core.state.StateStore} and pauses
 * it.</li>
 * </ul>
 *
 * <p>
 * Where this departs from the architecture sketch: cancellation is a property of the run, not a separate flag in the
 * exchange. A branch run is cancelled when a sibling fails (or spends the budget); the agent steps inside it check it
 * before each call and abandon a call in flight like a time-out, so siblings stop promptly whether they are bean agents
 * or routes with nested flujo steps - and a cancelled branch's late reply still books its usage. The composite step
 * waits for its branches to end, so none outlives its result.
 */
package dev.flujo.core.flow;
