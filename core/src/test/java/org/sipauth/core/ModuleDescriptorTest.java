package org.sipauth.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.InviteAuthorizer;

/** The module's surface: exactly the API packages are exported, to everyone, and nothing is opened. */
class ModuleDescriptorTest {

    /** The descriptor compiled with core's classes (the JDK's own module-info files share the resource name). */
    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    private static Path classes() throws URISyntaxException {
        return Path.of(InviteAuthorizer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void exportsOnlyTheApiPackages_unqualified() throws Exception {
        ModuleDescriptor d = descriptor();
        assertEquals("org.sipauth.core", d.name());
        assertEquals(new TreeSet<>(Set.of(
                        "org.sipauth.core.authz",
                        "org.sipauth.core.model",
                        "org.sipauth.core.provisioning",
                        "org.sipauth.core.store",
                        "org.sipauth.core.store.memory",
                        "org.sipauth.core.store.jdbc")),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new)));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "no qualified exports");
        assertTrue(d.opens().isEmpty(), "nothing opened");
        Path classes = classes();
        for (String internal : Set.of("org/sipauth/core/digest", "org/sipauth/core/lookup")) {
            assertTrue(Files.isDirectory(classes.resolve(internal)), internal + " is in the module (and not exported)");
        }
    }
}
