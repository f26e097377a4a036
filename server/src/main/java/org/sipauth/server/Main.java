package org.sipauth.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code sipauth.jar}: {@code java -jar sipauth.jar serve [options]}. */
@Command(name = "sipauth", mixinStandardHelpOptions = true, version = "sipauth 0.1.0",
        description = "SIP INVITE digest authorization with a Twilio-compatible admin API.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The server's logging configuration: a resource with its own name, so that an application
     * embedding the adapter jar keeps its own {@code logback.xml}. Set before any logger exists;
     * {@code -Dlogback.configurationFile=...} overrides it.
     */
    static final String LOGGING_CONFIG = "sipauth-logback.xml";

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING_CONFIG);
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
