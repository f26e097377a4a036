package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/sipauth.jar serve …} as a child process, started and read until it prints
 * its admin port; {@code lines} keeps growing with everything it prints until it exits.
 */
record ServeProcess(Process process, List<String> lines, Thread drain, int port) {

    private static final Pattern LISTENING = Pattern.compile("listening on \\S+ port (\\d+)");

    /** Starts the shaded jar with {@code args} after {@code serve}, no inherited SIPAUTH_* variables plus {@code env}. */
    static ServeProcess start(Map<String, String> env, List<String> args) throws IOException {
        Path jar = Path.of("target", "sipauth.jar");
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "serve"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("SIPAUTH_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            lines.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.lines().forEach(lines::add);
                    } catch (UncheckedIOException closed) {
                        // the process was stopped: nothing left to drain
                    }
                }, "drain");
                drain.setDaemon(true);
                drain.start();
                return new ServeProcess(process, lines, drain, Integer.parseInt(m.group(1)));
            }
        }
        process.destroyForcibly();
        throw new AssertionError("server did not report its port: " + lines);
    }

    /**
     * What the process printed so far, as a copy: the drain thread keeps adding to the list, so
     * iterating it directly (a stream, a for loop) could throw ConcurrentModificationException.
     */
    @Override
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The first group of {@code p} in the output so far, or null. */
    String find(Pattern p) {
        for (String line : lines()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }
}
