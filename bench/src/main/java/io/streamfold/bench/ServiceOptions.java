package io.streamfold.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a benchmark passes to a packaged service it starts: {@code -D} properties and JVM options. */
final class ServiceOptions {

    private ServiceOptions() {
    }

    /** {@code name=value} settings from the command line as properties, on top of {@code base}. */
    static Map<String, String> properties(Map<String, String> base, List<String> settings) {
        Map<String, String> properties = new HashMap<>(base);
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            properties.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return properties;
    }

    /**
     * {@code heap} (e.g. {@code -Xmx512m}) followed by the options in environment variable
     * {@code variable}, split on white space, with {@code {i}} replaced by {@code index}.
     */
    static List<String> jvmOptions(String heap, String variable, int index) {
        List<String> options = new ArrayList<>(List.of(heap));
        String extra = System.getenv().getOrDefault(variable, "").replace("{i}", String.valueOf(index));
        for (String option : extra.split("\\s+")) {
            if (!option.isBlank()) {
                options.add(option);
            }
        }
        return options;
    }
}
