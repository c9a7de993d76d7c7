package dev.flujo.core.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot cancellation flag with listeners. The first {@link #cancel} wins; listeners registered after it run at
 * once. Listeners run on the cancelling thread and must be short (they complete a future, set a flag). A listener that
 * throws is logged and skipped: it must not keep the others - the siblings being stopped - from hearing of it.
 */
public final class CancelSignal {

    private static final Logger LOG = LoggerFactory.getLogger(CancelSignal.class);

    /** Removes a listener that is no longer interested (its call ended). */
    @FunctionalInterface
    public interface Registration {
        void remove();
    }

    private static final Registration NONE = () -> {
    };

    private volatile Throwable reason;
    /** Created on the first registration: most runs are never listened to, let alone cancelled. */
    private Set<Consumer<Throwable>> listeners;

    /** The reason of the cancellation, or {@code null} while not cancelled. */
    public Throwable reason() {
        return reason;
    }

    public Registration onCancel(Consumer<Throwable> listener) {
        synchronized (this) {
            if (reason == null) {
                if (listeners == null) {
                    listeners = new LinkedHashSet<>();
                }
                listeners.add(listener);
                return () -> {
                    synchronized (this) {
                        if (listeners != null) {
                            listeners.remove(listener);
                        }
                    }
                };
            }
        }
        notify(listener, reason);
        return NONE;
    }

    /** @return whether this call cancelled (false when it was cancelled already) */
    public boolean cancel(Throwable why) {
        List<Consumer<Throwable>> toNotify;
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = why;
            toNotify = listeners == null ? List.of() : new ArrayList<>(listeners);
            listeners = null;
        }
        for (Consumer<Throwable> listener : toNotify) {
            notify(listener, why);
        }
        return true;
    }

    private static void notify(Consumer<Throwable> listener, Throwable why) {
        try {
            listener.accept(why);
        } catch (RuntimeException e) {
            LOG.warn("A cancellation listener failed; the other listeners are still notified", e);
        }
    }
}
