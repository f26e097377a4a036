package org.sipauth.core.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber list of a {@link Store}, reusable by every implementation. Thread-safe.
 * A listener that throws is logged and skipped: one bad subscriber must not undo a committed write
 * or starve the others.
 */
public final class ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final CopyOnWriteArrayList<Consumer<ChangeEvent>> listeners = new CopyOnWriteArrayList<>();

    /** A feed without listeners. */
    public ChangeFeed() {
    }

    /** Adds a listener; closing the handle removes it. */
    public AutoCloseable subscribe(Consumer<ChangeEvent> listener) {
        Consumer<ChangeEvent> wrapper = listener::accept; // unique identity, so the same listener can subscribe twice
        listeners.add(wrapper);
        return () -> listeners.remove(wrapper);
    }

    /** Delivers the events, in order, to every listener on the calling thread. */
    public void publish(List<ChangeEvent> events) {
        for (ChangeEvent event : events) {
            for (Consumer<ChangeEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("change listener failed on {}", event.type(), e);
                }
            }
        }
    }

    public void publish(ChangeEvent event) {
        publish(List.of(event));
    }
}
