package org.sipauth.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * Where authorized calls of a trunk or domain go in proxy and redirect mode: a {@code sip:} or
 * {@code sips:} URI with its priority (lower first) and weight (share within a priority), as a
 * trunk's OriginationUrls hold them.
 *
 * @param sipUrl   {@code sip:[user@]host[:port][;transport=udp|tcp]}
 * @param priority lower is tried first
 * @param weight   within one priority, the chance of being tried first is weight / sum of weights
 */
record Destination(String sipUrl, int priority, int weight) {

    Destination {
        Objects.requireNonNull(sipUrl, "sipUrl");
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + weight);
        }
    }

    /**
     * The order one call tries {@code destinations} in: by priority, lowest first; within a
     * priority, a weighted random order (RFC 2782's selection, repeated until none is left), so
     * that over many calls each destination is tried first in proportion to its weight. A weight
     * of 0 is tried after the weighted ones of its priority.
     */
    static List<Destination> callOrder(List<Destination> destinations) {
        return callOrder(destinations, bound -> ThreadLocalRandom.current().nextInt(bound));
    }

    /** {@link #callOrder(List)} with {@code random} giving a number in [0, bound). */
    static List<Destination> callOrder(List<Destination> destinations, IntUnaryOperator random) {
        if (destinations.size() < 2) {
            return destinations;
        }
        List<Destination> sorted = new ArrayList<>(destinations);
        sorted.sort(Comparator.comparingInt(Destination::priority));
        List<Destination> order = new ArrayList<>(sorted.size());
        int start = 0;
        while (start < sorted.size()) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).priority() == sorted.get(start).priority()) {
                end++;
            }
            List<Destination> group = new ArrayList<>(sorted.subList(start, end));
            while (!group.isEmpty()) {
                order.add(group.remove(pick(group, random)));
            }
            start = end;
        }
        return order;
    }

    private static int pick(List<Destination> group, IntUnaryOperator random) {
        long total = 0;
        for (Destination d : group) {
            total += d.weight();
        }
        if (total == 0) {
            return 0;
        }
        long point = random.applyAsInt((int) Math.min(Integer.MAX_VALUE, total));
        for (int i = 0; i < group.size(); i++) {
            point -= group.get(i).weight();
            if (point < 0) {
                return i;
            }
        }
        return group.size() - 1;
    }
}
