package org.sipauth.server;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Handlers of SIGTERM and SIGINT that replace the JVM's own, so that {@code serve} can drain on the
 * first signal and stop at once on the second.
 *
 * <p>Why not a shutdown hook: the JVM runs its hooks once, and a second SIGTERM while a hook is
 * still running only blocks (its {@code System.exit} waits for the first), so a drain inside a hook
 * could not be cut short. With these handlers a signal starts no shutdown of the JVM by itself; the
 * server stops, {@code serve} returns and {@code main} calls {@code System.exit}, which runs the
 * hooks (log buffers are flushed there).
 *
 * <p>Why reflection: the only way to handle a signal in Java 17 is {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}), and javac warns about every mention of it with no way to
 * suppress the warning; the build keeps its warnings at zero. Where it is unavailable (another JVM,
 * {@code -Xrs}), {@link #install} says so and the shutdown hook stops the server without a drain.
 */
final class StopSignals {

    private StopSignals() {
    }

    /**
     * Calls {@code onSignal} with the signal's name ({@code TERM}, {@code INT}) on a thread of the
     * JVM's for each of {@code names} that arrives; returns the names it could take over.
     */
    static List<String> install(Consumer<String> onSignal, String... names) {
        List<String> installed = new ArrayList<>();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handler);
            Method getName = signal.getMethod("getName");
            Constructor<?> named = signal.getConstructor(String.class);
            InvocationHandler calls = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    onSignal.accept((String) getName.invoke(args[0]));
                    yield null;
                }
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "sipauth stop signals";
            };
            Object proxy = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handler}, calls);
            for (String name : names) {
                try {
                    handle.invoke(null, named.newInstance(name), proxy);
                    installed.add(name);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // e.g. the signal is ignored (a background job's SIGINT) or reserved by the JVM (-Xrs)
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no sun.misc.Signal on this JVM
        }
        return installed;
    }
}
