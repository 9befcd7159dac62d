package io.streamfold.bench;

import io.streamfold.testsupport.RedisOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code name=value} command-line arguments; names with a dot are settings passed on to the services. */
final class Arguments {

    private final Map<String, String> values;

    private Arguments(Map<String, String> values) {
        this.values = values;
    }

    static Arguments parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected name=value, got '" + arg + "'");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new Arguments(values);
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    int integer(String name, int defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
    }

    List<Integer> integers(String name, List<Integer> defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        List<Integer> list = new ArrayList<>();
        if (value.isBlank()) {
            return list;
        }
        for (String part : value.split(",")) {
            list.add(Integer.parseInt(part.trim()));
        }
        return list;
    }

    /**
     * How the benchmark's Redis persists: {@code aof=no} (default), {@code aof=everysec} (as deployed) or
     * {@code aof=always}.
     */
    RedisOptions redis() {
        String aof = values.getOrDefault("aof", "no");
        return new RedisOptions(switch (aof) {
            case "no" -> RedisOptions.Persistence.NONE;
            case "everysec" -> RedisOptions.Persistence.AOF_EVERYSEC;
            case "always" -> RedisOptions.Persistence.AOF_ALWAYS;
            default -> throw new IllegalArgumentException("aof must be no, everysec or always, got '" + aof + "'");
        });
    }

    /** The {@code name=value} pairs whose name contains a dot, e.g. {@code streamfold.consumer.block=2s}. */
    List<String> settings() {
        List<String> settings = new ArrayList<>();
        values.forEach((name, value) -> {
            if (name.contains(".")) {
                settings.add(name + "=" + value);
            }
        });
        return settings;
    }
}
