package io.streamfold.processor.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run every interval, the first time one interval after the start, on a daemon thread of its
 * own (so it never keeps the process alive), each run starting one interval after the last ended.
 * The background jobs of the processor (dead-consumer cleanup, stream trimming) run this way.
 */
public final class PeriodicTask {

    private final ScheduledExecutorService scheduler;

    private PeriodicTask(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts running {@code task} every {@code interval} on a daemon thread named {@code threadName}. */
    public static PeriodicTask start(String threadName, Duration interval, Runnable task) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return new PeriodicTask(scheduler);
    }

    /** Runs the task no more; a run in progress may finish within {@code within}, after which it is interrupted. */
    public void stop(Duration within) throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(within.toMillis(), TimeUnit.MILLISECONDS)) {
            scheduler.shutdownNow();
        }
    }
}
