package io.streamfold.processor.aggregation;

/** The GPU backend cannot run: why ({@link #reason()}) and a message saying what failed. */
public final class GpuUnavailableException extends RuntimeException {

    private final Reason reason;

    public GpuUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
