package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DestinationTest {

    private static final Destination A = new Destination("sip:a.example.com", 10, 1);
    private static final Destination B = new Destination("sip:b.example.com", 20, 3);
    private static final Destination C = new Destination("sip:c.example.com", 20, 1);
    private static final Destination D = new Destination("sip:d.example.com", 5, 0);

    @Test
    void lowerPriorityFirst_whateverTheWeights() {
        List<Destination> order = Destination.callOrder(List.of(B, C, A, D), bound -> 0);
        assertEquals(D, order.get(0));
        assertEquals(A, order.get(1));
        assertEquals(List.of(B, C), List.copyOf(order.subList(2, 4)).stream().sorted((x, y) -> x.sipUrl().compareTo(y.sipUrl())).toList());
    }

    @Test
    void withinAPriority_theFirstTriedFollowsTheWeights() {
        Random random = new Random(42);
        Map<Destination, Integer> first = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            first.merge(Destination.callOrder(List.of(B, C), random::nextInt).get(0), 1, Integer::sum);
        }
        // weight 3 against 1: three quarters of the calls try B first (binomial, n = 4000: sd about 27)
        assertTrue(Math.abs(first.get(B) - 3000) < 150, "B first " + first.get(B) + " times of 4000");
        assertEquals(4000, first.get(B) + first.get(C));
    }

    @Test
    void weightZero_isTriedAfterTheWeightedOnesOfItsPriority() {
        Destination zero = new Destination("sip:z.example.com", 20, 0);
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            assertEquals(zero, Destination.callOrder(List.of(zero, B, C), random::nextInt).get(2));
        }
    }

    @Test
    void everyDestinationIsTriedOnce() {
        List<Destination> order = Destination.callOrder(List.of(A, B, C, D));
        assertEquals(4, order.size());
        assertTrue(order.containsAll(List.of(A, B, C, D)));
    }

    @Test
    void negativeWeight_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Destination("sip:x", 1, -1));
    }
}
