package io.streamfold.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code ## Properties} table of {@code docs/configuration.md}: every {@code streamfold.*} property, the
 * services that read it and its default, so deployment files can be checked against what the services document.
 */
final class DocsConfiguration {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern UNESCAPED_PIPE = Pattern.compile("(?<!\\\\)\\|");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");

    /** One property of the table, with the environment variable name(s) it is read from. */
    record Setting(String property, Pattern environmentName, Set<String> services, String defaultValue) {

        /** Whether this is a map of named entries, such as {@code streamfold.access.keys.<name>}. */
        boolean isMapEntry() {
            return property.contains("<");
        }

        boolean readBy(String service) {
            return services.contains("all") || services.contains(service.toLowerCase(Locale.ROOT));
        }
    }

    private final List<Setting> settings;

    private DocsConfiguration(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    /** The file that documents the settings, relative to the repository root. */
    static final String FILE = "docs/configuration.md";
    /** The heading of its table. */
    static final String HEADING = "## Properties";

    static DocsConfiguration read(Path root) throws IOException {
        Path file = root.resolve(FILE);
        List<String> lines = Files.readAllLines(file);
        int start = lines.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalStateException("no '" + HEADING + "' section in " + file);
        }
        List<Setting> settings = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `streamfold.")) {
                settings.addAll(parseRow(line));
            }
        }
        if (settings.isEmpty()) {
            throw new IllegalStateException("no streamfold.* rows in the Properties table of " + file);
        }
        return new DocsConfiguration(settings);
    }

    List<Setting> settings() {
        return settings;
    }

    /**
     * The setting an environment variable such as {@code STREAMFOLD_CONSUMER_BATCH_SIZE} configures; a property
     * named exactly wins over a map entry ({@code STREAMFOLD_ACCESS_KEYS_FOR_READS} is {@code keys-for-reads},
     * not the key named {@code for-reads}).
     */
    Optional<Setting> forEnvironmentVariable(String name) {
        List<Setting> matches = settings.stream().filter(s -> s.environmentName().matcher(name).matches()).toList();
        return matches.stream().filter(s -> !s.isMapEntry()).findFirst().or(() -> matches.stream().findFirst());
    }

    Setting forProperty(String property) {
        return settings.stream().filter(s -> s.property().equals(property)).findFirst()
                .orElseThrow(() -> new IllegalStateException(FILE + " documents no property " + property));
    }

    /**
     * A row names one property ({@code `streamfold.redis.url`}) or several siblings
     * ({@code `streamfold.producer.products` / `users`}); the services column is {@code all} or a list.
     */
    private static List<Setting> parseRow(String line) {
        String[] cells = UNESCAPED_PIPE.split(line);
        // cells[0] is the empty text before the first pipe.
        List<String> names = codeSpans(cells[1]);
        List<String> defaults = codeSpans(cells[2]);
        String defaultValue = defaults.isEmpty() ? null : defaults.get(0);
        Set<String> services = Arrays.stream(cells[3].split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        String first = names.get(0);
        String parent = first.substring(0, first.lastIndexOf('.') + 1);
        List<Setting> settings = new ArrayList<>();
        for (String name : names) {
            String property = name.startsWith("streamfold.") ? name : parent + name;
            settings.add(new Setting(property, environmentName(property), services, defaultValue));
        }
        return settings;
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    /**
     * The environment variable name of a property, as SmallRye Config maps it: upper case, every character
     * that is not a letter or digit replaced by {@code _}; a placeholder such as {@code <name>} (a map key)
     * stands for any such name.
     */
    static Pattern environmentName(String property) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(property);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(normalise(property.substring(last, m.start())))).append("[A-Z0-9_]+");
            last = m.end();
        }
        regex.append(Pattern.quote(normalise(property.substring(last))));
        return Pattern.compile(regex.toString());
    }

    static String normalise(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
