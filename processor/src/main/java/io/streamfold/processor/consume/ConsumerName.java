package io.streamfold.processor.consume;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** This instance's name in the consumer group: configured, else host (pod) name and process id. */
public final class ConsumerName {

    private ConsumerName() {
    }

    static String resolve(Optional<String> configured) {
        return configured.filter(name -> !name.isBlank()).orElseGet(() -> host() + "-" + ProcessHandle.current().pid());
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "processor";
        }
    }
}
