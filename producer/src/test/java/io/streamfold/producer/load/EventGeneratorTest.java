package io.streamfold.producer.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.contract.EventParser;
import io.streamfold.contract.EventSchema;
import io.streamfold.contract.ParseResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

    private static final long NOW = 1_764_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    @Test
    void everyGeneratedEventPassesTheContractParser() {
        EventGenerator generator = new EventGenerator(1, 50, 1_000);
        EventParser parser = new EventParser(EventSchema.defaults(), CLOCK);

        for (int i = 0; i < 20_000; i++) {
            Map<String, String> event = generator.next(NOW);
            assertThat(parser.parse(event)).as("event %s", event).isInstanceOf(ParseResult.Parsed.class);
        }
    }

    @Test
    void theSameSeedGivesTheSameEvents() {
        EventGenerator a = new EventGenerator(9, 50, 1_000);
        EventGenerator b = new EventGenerator(9, 50, 1_000);

        List<Map<String, String>> first = IntStream.range(0, 100).mapToObj(i -> a.next(NOW)).toList();
        List<Map<String, String>> second = IntStream.range(0, 100).mapToObj(i -> b.next(NOW)).toList();

        assertThat(first).isEqualTo(second);
    }

    @Test
    void popularProductsAndCommonTypesDominateAndRefundsAreNegative() {
        EventGenerator generator = new EventGenerator(3, 50, 1_000);
        Map<String, Integer> byProduct = new HashMap<>();
        Map<String, Integer> byType = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            Map<String, String> event = generator.next(NOW);
            byProduct.merge(event.get("product"), 1, Integer::sum);
            byType.merge(event.get("event_type"), 1, Integer::sum);
            if (event.get("event_type").equals("refund")) {
                assertThat(event.get("value")).startsWith("-");
            }
            assertThat(Long.parseLong(event.get("ts"))).isBetween(NOW - 2_000, NOW);
        }

        assertThat(byProduct.get("product-0")).isGreaterThan(5 * byProduct.get("product-49"));
        assertThat(byType.get("view")).isGreaterThan(byType.get("purchase")).isGreaterThan(0);
        assertThat(byType.get("purchase")).isGreaterThan(byType.get("refund")).isGreaterThan(0);
    }

    @Test
    void formatsCentsAsTwoDecimalStrings() {
        assertThat(EventGenerator.formatCents(5)).isEqualTo("0.05");
        assertThat(EventGenerator.formatCents(-12345)).isEqualTo("-123.45");
        assertThat(EventGenerator.formatCents(0)).isEqualTo("0.00");
    }
}
