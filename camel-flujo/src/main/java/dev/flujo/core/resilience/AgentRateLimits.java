package dev.flujo.core.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.flujo.core.config.RateLimitOptions;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * The rate limits of one step's agents: per agent, a Resilience4j {@link RateLimiter} for {@code requestsPerMinute} and
 * a Bucket4j token {@link Bucket} for {@code tokensPerMinute}, obtained from a source once and kept. In Camel the
 * source is the component's registry (the request limiters in a {@code RateLimiterRegistry}, the user's bean or the
 * context's), so the limits of an agent are shared by every step, branch and item that calls it, like its breaker.
 *
 * <p>
 * Nothing here waits: {@link Limiters#reserve} takes the permits at once and says how long the call must wait for them,
 * and the step schedules the call that much later. Design:
 * <ul>
 * <li>requests are spread evenly, one permit every 60 s / requestsPerMinute (Resilience4j's {@code reservePermission}
 * books the permits of later cycles), so a burst of 500 calls leaves at the rate the provider allows instead of all at
 * once;</li>
 * <li>tokens are a bucket of tokensPerMinute refilled continuously, as providers count them: a call may use up to a
 * minute's budget at once when the agent was idle. A call reserves its estimate before it is made, and is corrected
 * with the usage it reports - charged what it used beyond the estimate (the bucket may go into debt, so the next calls
 * wait), refunded what it did not use. Resilience4j's limiter can do neither, hence Bucket4j here.</li>
 * </ul>
 */
public final class AgentRateLimits {

    /** The limiters of one agent; either may be {@code null} (that limit is off). */
    public record Limiters(String agent, RateLimiter requests, Bucket tokens, RateLimitOptions options) {

        /** What {@link #reserve} returns when the request limit refused the call. */
        public static final long REFUSED_BY_REQUESTS = -1;
        /** What {@link #reserve} returns when the token limit refused the call. */
        public static final long REFUSED_BY_TOKENS = -2;

        /**
         * Takes the permits of one call of about {@code tokens} tokens.
         *
         * @return nanoseconds the call must wait (0 = at once), or {@link #REFUSED_BY_REQUESTS} /
         *         {@link #REFUSED_BY_TOKENS} when it would wait longer than {@code rateLimitWait}; a refused call keeps
         *         no permit
         */
        public long reserve(long tokens) {
            long maxWait = options.rateLimitWait().toNanos();
            long tokenWait = 0;
            if (this.tokens != null) {
                // the bucket may go below zero: the wait is the time until it is back at zero
                tokenWait = this.tokens.consumeIgnoringRateLimits(tokens);
                if (tokenWait > maxWait) {
                    this.tokens.addTokens(tokens);
                    return REFUSED_BY_TOKENS;
                }
            }
            long requestWait = requests == null ? 0 : requests.reservePermission();
            if (requestWait < 0) {
                refund(tokens);
                return REFUSED_BY_REQUESTS;
            }
            return Math.max(requestWait, tokenWait);
        }

        /** Gives back the tokens of a call that was reserved but not made (its run was cancelled while it waited). */
        public void refund(long tokens) {
            if (this.tokens != null && tokens > 0) {
                this.tokens.addTokens(tokens);
            }
        }

        /** The limit behind a refusal of {@link #reserve}, as its option, for the error message. */
        public String describe(long refusal) {
            return refusal == REFUSED_BY_REQUESTS
                    ? "requestsPerMinute=" + options.requestsPerMinute()
                    : "tokensPerMinute=" + options.tokensPerMinute();
        }

        /** Corrects a call's reservation with what it reported: charges the tokens beyond it, refunds the rest. */
        public void charge(long reserved, long used) {
            if (tokens == null || used == reserved) {
                return;
            }
            if (used > reserved) {
                tokens.consumeIgnoringRateLimits(used - reserved);
            } else {
                tokens.addTokens(reserved - used);
            }
        }
    }

    /** Prefix of the limiters' names in the registry, as for the breakers. */
    public static final String NAME_PREFIX = AgentBreakers.NAME_PREFIX;

    private final Function<String, Limiters> source;
    private final Map<String, Limiters> byAgent = new ConcurrentHashMap<>();

    /** @param source the limiters of an agent, by agent name */
    public AgentRateLimits(Function<String, Limiters> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public Limiters forAgent(String agentName) {
        return byAgent.computeIfAbsent(agentName, source);
    }

    public static String requestsName(String agent) {
        return NAME_PREFIX + agent + "-requests";
    }

    public static String tokensName(String agent) {
        return NAME_PREFIX + agent + "-tokens";
    }

    /** One permit every 60 s / requestsPerMinute; {@code null} when the limit is off. */
    public static RateLimiterConfig requestsConfig(RateLimitOptions o) {
        if (o.requestsPerMinute() <= 0) {
            return null;
        }
        return RateLimiterConfig.custom().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(Duration.ofMinutes(1).toNanos() / o.requestsPerMinute()))
                .timeoutDuration(o.rateLimitWait()).build();
    }

    /** A full bucket of tokensPerMinute, refilled continuously at that rate; {@code null} when the limit is off. */
    public static Bucket tokenBucket(long tokensPerMinute) {
        if (tokensPerMinute <= 0) {
            return null;
        }
        // synchronized rather than lock-free: the bucket's state is updated in place under a short lock, where the
        // lock-free strategy allocates a new state per update (two per call: the reservation and its correction)
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(tokensPerMinute).refillGreedy(tokensPerMinute, Duration.ofMinutes(1)))
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .build();
    }

    /** Whether a request limiter's settings are the ones a configuration asks for. */
    public static boolean sameSettings(RateLimiterConfig a, RateLimiterConfig b) {
        return a.getLimitForPeriod() == b.getLimitForPeriod()
                && a.getLimitRefreshPeriod().equals(b.getLimitRefreshPeriod())
                && a.getTimeoutDuration().equals(b.getTimeoutDuration());
    }

    /** Limiters of the plan's own, not shared (a core used without a host). */
    public static AgentRateLimits standalone(RateLimitOptions options) {
        RateLimiterConfig requests = requestsConfig(options);
        return new AgentRateLimits(
                agent -> new Limiters(
                        agent,
                        requests == null ? null : RateLimiter.of(requestsName(agent), requests),
                        tokenBucket(options.tokensPerMinute()),
                        options));
    }
}
