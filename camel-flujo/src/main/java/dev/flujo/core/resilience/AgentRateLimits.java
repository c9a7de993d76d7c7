package dev.flujo.core.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.flujo.core.config.RateLimitOptions;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * The rate limits of one step's agents ({@code requestsPerMinute}, {@code tokensPerMinute}): per agent, a Resilience4j
 * {@link RateLimiter} for requests and one for tokens, obtained from a source once and kept. In Camel the source is a
 * {@code RateLimiterRegistry} (the user's bean, or the context's), so the limiters of an agent are shared by every
 * step, branch and item that calls it, like its circuit breaker.
 *
 * <p>
 * Nothing here waits: {@link Limiters#reserve} takes the permits at once and says how long the call must wait for them
 * (Resilience4j's {@code reservePermission}, which books permits of later cycles), and the step schedules the call that
 * much later. Design: requests are spread evenly (one permit every 60 s / requestsPerMinute), so a burst of 500 calls
 * is sent at the rate the provider allows rather than all at once; tokens refill in sixths of the minute (so a sliding
 * minute admits at most 7/6 of the limit, and a call of up to a sixth of it does not wait when the agent is idle).
 * Resilience4j's limiter cannot give permits back: a call that used fewer tokens than it reserved does not return them
 * (the limit errs on the safe side); one that used more is charged the rest.
 */
public final class AgentRateLimits {

    /** The limiters of one agent; either may be {@code null} (that limit is off). */
    public record Limiters(String agent, RateLimiter requests, RateLimiter tokens, RateLimitOptions options) {

        /** What {@link #reserve} returns when the request limit refused the call. */
        public static final long REFUSED_BY_REQUESTS = -1;
        /** What {@link #reserve} returns when the token limit refused the call. */
        public static final long REFUSED_BY_TOKENS = -2;

        /**
         * Takes the permits of one call of about {@code tokens} tokens.
         *
         * @return nanoseconds the call must wait (0 = at once), or {@link #REFUSED_BY_REQUESTS} /
         *         {@link #REFUSED_BY_TOKENS} when it would wait longer than {@code rateLimitWait} (the refusing limit
         *         takes no permit; a request permit taken before the token limit refused is spent)
         */
        public long reserve(long tokens) {
            long requestWait = requests == null ? 0 : requests.reservePermission();
            if (requestWait < 0) {
                return REFUSED_BY_REQUESTS;
            }
            long tokenWait = this.tokens == null ? 0 : this.tokens.reservePermission(permits(tokens));
            if (tokenWait < 0) {
                return REFUSED_BY_TOKENS;
            }
            return Math.max(requestWait, tokenWait);
        }

        /** The limit behind a refusal of {@link #reserve}, as its option, for the error message. */
        public String describe(long refusal) {
            return refusal == REFUSED_BY_REQUESTS
                    ? "requestsPerMinute=" + options.requestsPerMinute()
                    : "tokensPerMinute=" + options.tokensPerMinute();
        }

        /**
         * Charges what a call used beyond what it reserved. The charge books later permits; when even that would be
         * beyond {@code rateLimitWait}, the current cycle's permits are drained instead, so the next calls wait.
         */
        public void charge(long reserved, long used) {
            if (tokens == null || used <= reserved) {
                return;
            }
            if (tokens.reservePermission(permits(used - reserved)) < 0) {
                tokens.drainPermissions();
            }
        }

        private static int permits(long tokens) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, tokens));
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

    /** tokensPerMinute / 6 permits every 10 s (exactly the rate, in whole permits); {@code null} when off. */
    public static RateLimiterConfig tokensConfig(RateLimitOptions o) {
        if (o.tokensPerMinute() <= 0) {
            return null;
        }
        long perCycle = Math.max(1, o.tokensPerMinute() / 6);
        long cycleNanos = Duration.ofMinutes(1).toNanos() / o.tokensPerMinute() * perCycle;
        return RateLimiterConfig.custom().limitForPeriod((int) perCycle)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(1, cycleNanos)))
                .timeoutDuration(o.rateLimitWait()).build();
    }

    /** Whether a limiter's settings are the ones a configuration asks for. */
    public static boolean sameSettings(RateLimiterConfig a, RateLimiterConfig b) {
        return a.getLimitForPeriod() == b.getLimitForPeriod()
                && a.getLimitRefreshPeriod().equals(b.getLimitRefreshPeriod())
                && a.getTimeoutDuration().equals(b.getTimeoutDuration());
    }

    /** Limiters of the plan's own, not shared (a core used without a host). */
    public static AgentRateLimits standalone(RateLimitOptions options) {
        RateLimiterConfig requests = requestsConfig(options);
        RateLimiterConfig tokens = tokensConfig(options);
        return new AgentRateLimits(
                agent -> new Limiters(
                        agent,
                        requests == null ? null : RateLimiter.of(requestsName(agent), requests),
                        tokens == null ? null : RateLimiter.of(tokensName(agent), tokens), options));
    }
}
