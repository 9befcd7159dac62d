package io.streamfold.api.access;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.api.problem.ProblemException;
import io.streamfold.contract.KeyLayout;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;

/**
 * Every POST (and every read, where so configured) must present a configured API key in
 * {@value #HEADER}, and stays within the key's rate: a Redisson rate limiter per key, shared by
 * every API replica. Health, metrics and the OpenAPI document stay open.
 */
public class AccessFilter {

    /** The request header carrying the API key. */
    public static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final boolean keysForReads;
    private final RedissonClient redisson;
    private final KeyLayout layout;
    private final long perSecond;
    private final ConcurrentMap<String, RRateLimiter> limiters = new ConcurrentHashMap<>();

    AccessFilter(ApiKeys keys, ApiConfig config, RedissonClient redisson) {
        this.keys = keys;
        this.keysForReads = config.access().keysForReads();
        this.redisson = redisson;
        this.layout = config.stream().keys();
        this.perSecond = config.access().requestsPerSecond();
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean write = !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
        if (path.startsWith("/q/") || !(write || keysForReads)) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(HEADER);
        if (presented == null || presented.isEmpty()) {
            throw new ProblemException(401, "this request needs an API key in the " + HEADER
                    + " header");
        }
        String name = keys.nameOf(presented).orElseThrow(() -> new ProblemException(401,
                "the API key in the " + HEADER + " header is not valid"));
        if (!acquire(name)) {
            throw new ProblemException(429, "API key '" + name + "' is over its limit of "
                    + perSecond + " requests per second; retry after the time in Retry-After");
        }
        request.setProperty(HEADER, name);
        return Optional.empty();
    }

    /** One permit of the key's limiter; sets the limiter up again if its state vanished from Redis (a flush, a restart). */
    private boolean acquire(String name) {
        RRateLimiter limiter = limiters.computeIfAbsent(name, n -> configured(redisson.getRateLimiter(layout.rateLimiter(n))));
        try {
            return limiter.tryAcquire();
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("RateLimiter is not initialized")) {
                throw e;
            }
            return configured(limiter).tryAcquire();
        }
    }

    private RRateLimiter configured(RRateLimiter limiter) {
        if (!limiter.trySetRate(RateType.OVERALL, perSecond, Duration.ofSeconds(1))
                && limiter.getConfig().getRate() != perSecond) {
            limiter.setRate(RateType.OVERALL, perSecond, Duration.ofSeconds(1));
        }
        return limiter;
    }
}
