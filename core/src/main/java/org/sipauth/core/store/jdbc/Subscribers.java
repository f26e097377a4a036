package org.sipauth.core.store.jdbc;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.sipauth.core.store.ChangeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local listeners of a store; a listener that throws is logged and does not stop the others. */
final class Subscribers {

    private static final Logger LOG = LoggerFactory.getLogger(Subscribers.class);

    private final CopyOnWriteArrayList<Consumer<ChangeEvent>> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(Consumer<ChangeEvent> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(ChangeEvent event) {
        for (Consumer<ChangeEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("change listener failed on {}", event.type(), e);
            }
        }
    }
}
