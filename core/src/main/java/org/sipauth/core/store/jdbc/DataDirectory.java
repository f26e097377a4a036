package org.sipauth.core.store.jdbc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The embedded store's directory: it holds every credential's HA1s (password-equivalent for
 * digest) and the admin token hashes, so it is kept owner-only: the directory {@code rwx------}
 * when this class creates it, the files H2 creates {@code rw-------}. An existing directory or
 * file that group or others can use is left as the operator set it and reported, so the caller can
 * warn once at open.
 *
 * <p>Why fix files after the fact: Java cannot set the process umask, and H2 creates its files
 * itself (the database, and later perhaps a trace or temporary file) with the umask's mode. The
 * owner-only directory is what protects them in between: nobody else can reach a file inside it.
 * Files created while the store was open are tightened at open and again at close.
 *
 * <p>On a file system without POSIX permissions (e.g. Windows) nothing is set or reported.
 * Not thread-safe; {@link JdbcStore} calls it from its constructor and {@code close()}.
 */
final class DataDirectory {

    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path dir;
    private final boolean posix;
    private final Set<Path> existing = new HashSet<>();

    private DataDirectory(Path dir, boolean posix) {
        this.dir = dir;
        this.posix = posix;
    }

    /**
     * Creates {@code dir} (and missing parents) if it does not exist; the directory itself is
     * created {@code rwx------}, parents with the file system's defaults.
     *
     * @throws IOException when it cannot be created
     */
    static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path absolute = dir.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        if (!supportsPosix(absolute.getParent() != null ? absolute.getParent() : absolute)) {
            Files.createDirectories(absolute);
            return;
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
            return; // created by someone else meanwhile: theirs, checked at open like any existing one
        }
        // The mode given at creation is still masked by the umask; a umask cannot add bits, but say
        // exactly what is wanted anyway.
        Files.setPosixFilePermissions(absolute, DIRECTORY_MODE);
    }

    /** Remembers which files exist before the database is opened (those are the operator's). */
    static DataDirectory beforeOpen(Path dir) {
        DataDirectory d = new DataDirectory(dir, supportsPosix(dir));
        if (d.posix) {
            d.existing.addAll(d.files());
        }
        return d;
    }

    /**
     * Tightens the files created since {@link #beforeOpen} to {@code rw-------}, and describes the
     * directory and the earlier files that group or others can use, e.g.
     * {@code /srv/data (rwxr-xr-x)}; empty when all are owner-only or permissions are not POSIX.
     */
    List<String> secure() {
        List<String> loose = new ArrayList<>();
        if (!posix) {
            return loose;
        }
        describeIfLoose(dir, loose);
        for (Path file : files()) {
            if (existing.contains(file)) {
                describeIfLoose(file, loose);
            } else {
                try {
                    Files.setPosixFilePermissions(file, FILE_MODE);
                } catch (IOException | SecurityException e) {
                    loose.add(file + " (cannot set rw-------: " + e.getMessage() + ")");
                }
            }
        }
        return loose;
    }

    private static void describeIfLoose(Path path, List<String> loose) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                loose.add(path + " (" + PosixFilePermissions.toString(mode) + ")");
            }
        } catch (IOException | SecurityException e) {
            // gone or unreadable: nothing to report about its mode
        }
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        } catch (IOException | SecurityException e) {
            // unreadable directory: the open itself reports it
        }
        return files;
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
