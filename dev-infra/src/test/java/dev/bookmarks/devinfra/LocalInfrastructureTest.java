package dev.bookmarks.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfrastructureTest {

    @TempDir
    Path dataDir;

    @Test
    void restartOnTheSameDirectoryKeepsData() throws Exception {
        int pgPort = Support.freePort();
        int redisPort = Support.freePort();
        int kafkaPort = Support.freePort();
        int controllerPort = Support.freePort();
        String[] args = {"--data-dir", dataDir.toString(), "--postgres-port", "" + pgPort, "--redis-port", "" + redisPort,
                "--kafka-port", "" + kafkaPort, "--kafka-controller-port", "" + controllerPort, "--databases", "auth,bookmark",
                "--smtp-port", "" + Support.freePort(), "--mail-api-port", "" + Support.freePort()};
        Path ready = dataDir.resolve(LocalInfrastructure.READY_FILE);

        LocalInfrastructure.Running first = new LocalInfrastructure.Running(ready);
        try {
            LocalInfrastructure.start(LocalInfrastructure.Options.parse(args), first);
            Properties endpoints = load(ready);
            assertThat(endpoints.getProperty("postgres.port")).isEqualTo("" + pgPort);
            assertThat(endpoints.getProperty("redis.url")).isEqualTo("redis://127.0.0.1:" + redisPort);
            assertThat(endpoints.getProperty("kafka.bootstrap")).isEqualTo("127.0.0.1:" + kafkaPort);
            assertThat(endpoints.getProperty("databases")).isEqualTo("auth,bookmark");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/bookmark", "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
            try (TestInfrastructureTest.Resp resp = new TestInfrastructureTest.Resp("127.0.0.1", redisPort)) {
                assertThat(resp.call("SET", "kept", "yes")).isEqualTo("OK");
            }
            try (Admin admin = admin(kafkaPort)) {
                admin.createTopics(List.of(new NewTopic("kept-topic", 1, (short) 1))).all().get();
            }
        } finally {
            first.stop();
        }
        assertThat(ready).doesNotExist();
        assertThat(Support.isListening("127.0.0.1", pgPort)).isFalse();
        assertThat(Support.isListening("127.0.0.1", redisPort)).isFalse();
        assertThat(Support.isListening("127.0.0.1", kafkaPort)).isFalse();
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("kafka/meta.properties")).exists();

        LocalInfrastructure.Running second = new LocalInfrastructure.Running(ready);
        try {
            LocalInfrastructure.start(LocalInfrastructure.Options.parse(args), second);
            assertThat(ready).exists();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/bookmark", "postgres", "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
            try (TestInfrastructureTest.Resp resp = new TestInfrastructureTest.Resp("127.0.0.1", redisPort)) {
                assertThat(resp.call("GET", "kept")).isEqualTo("yes");
            }
            try (Admin admin = admin(kafkaPort)) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains("kept-topic");
            }
        } finally {
            second.stop();
        }
        assertThat(ready).doesNotExist();
    }

    /**
     * What a crash or a power loss leaves: a postmaster.pid whose pid now belongs to another live process (pids are
     * reused after a reboot), and Kafka logs cut off in the middle of a record batch with no clean-shutdown marker.
     * The next start recovers from both and keeps the data.
     */
    @Test
    void startsAfterACrashLeftAStalePostmasterPidAndHalfWrittenKafkaLogs() throws Exception {
        String[] args = {"--data-dir", dataDir.toString(), "--postgres-port", "" + Support.freePort(),
                "--redis-port", "" + Support.freePort(), "--kafka-port", "" + Support.freePort(),
                "--kafka-controller-port", "" + Support.freePort(), "--databases", "auth",
                "--smtp-port", "" + Support.freePort(), "--mail-api-port", "" + Support.freePort()};
        Path ready = dataDir.resolve(LocalInfrastructure.READY_FILE);
        LocalInfrastructure.Running first = new LocalInfrastructure.Running(ready);
        String bootstrap;
        try {
            LocalInfrastructure.start(LocalInfrastructure.Options.parse(args), first);
            bootstrap = load(ready).getProperty("kafka.bootstrap");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("crashed", 1, (short) 1))).all().get();
            }
            send(bootstrap, "before the crash");
        } finally {
            first.stop();
        }
        // the leftovers: a live process that is not PostgreSQL in postmaster.pid (this test's JVM, which must survive),
        // and half a record batch at the end of the active segments, as a power loss leaves them
        Path postmasterPid = dataDir.resolve("postgres/postmaster.pid");
        Files.writeString(postmasterPid, ProcessHandle.current().pid() + "\n" + dataDir.resolve("postgres") + "\n");
        for (String partition : List.of("crashed-0", "__cluster_metadata-0")) {
            try (var segments = Files.list(dataDir.resolve("kafka").resolve(partition))) {
                Path active = segments.filter(f -> f.toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
                // a batch header promising 4 KiB (base offset 999, length 4096) followed by only a few bytes
                Files.write(active, new byte[] {0, 0, 0, 0, 0, 0, 3, (byte) 0xE7, 0, 0, 16, 0, 0, 0, 0, 0, 2, 7, 7, 7},
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
        Files.deleteIfExists(dataDir.resolve("kafka/.kafka_cleanshutdown"));

        LocalInfrastructure.Running second = new LocalInfrastructure.Running(ready);
        try {
            LocalInfrastructure.start(LocalInfrastructure.Options.parse(args), second);
            assertThat(ready).exists();
            send(bootstrap, "after the crash");
            assertThat(receive(bootstrap, 2)).containsExactly("before the crash", "after the crash");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                    + load(ready).getProperty("postgres.port") + "/auth", "postgres", "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        } finally {
            second.stop();
        }
    }

    private static void send(String bootstrap, String value) throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", bootstrap, "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
                "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class))) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("crashed", value)).get();
        }
    }

    private static List<String> receive(String bootstrap, int count) {
        List<String> values = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", bootstrap, "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class,
                "value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class))) {
            var partition = new org.apache.kafka.common.TopicPartition("crashed", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    @Test
    void allExternalOnlyCreatesDatabasesAndWritesTheReadyFile() throws Exception {
        PostgresServer pg = TestInfrastructure.postgres();
        RedisServer redis = TestInfrastructure.redis();
        KafkaServer kafka = TestInfrastructure.kafka();
        String database = "ext_" + Long.toHexString(System.nanoTime());
        String pgUrl = "postgresql://" + pg.user() + (pg.password().isEmpty() ? "" : ":" + pg.password())
                + "@" + pg.host() + ":" + pg.port();
        Path ready = dataDir.resolve(LocalInfrastructure.READY_FILE);
        LocalInfrastructure.Running running = new LocalInfrastructure.Running(ready);

        LocalInfrastructure.start(LocalInfrastructure.Options.parse(new String[] {"--data-dir", dataDir.toString(),
                "--databases", database, "--external-postgres", pgUrl, "--external-redis", redis.url(),
                "--external-kafka", kafka.bootstrapServers(), "--external-smtp", "mail.example.com"}), running);
        // twice: databases that exist are fine
        LocalInfrastructure.start(LocalInfrastructure.Options.parse(new String[] {"--data-dir", dataDir.toString(),
                "--databases", database, "--external-postgres", pgUrl, "--external-redis", redis.url(),
                "--external-kafka", kafka.bootstrapServers(), "--external-smtp", "mail.example.com"}), running);

        assertThat(running.servers).isEmpty();
        Properties endpoints = load(ready);
        assertThat(endpoints.getProperty("postgres.external")).isEqualTo("true");
        assertThat(endpoints.getProperty("kafka.bootstrap")).isEqualTo(kafka.bootstrapServers());
        assertThat(endpoints.getProperty("smtp.host")).isEqualTo("mail.example.com");
        assertThat(endpoints.getProperty("smtp.port")).isEqualTo("25");
        assertThat(endpoints.getProperty("smtp.external")).isEqualTo("true");
        assertThat(endpoints.getProperty("mail.api.url")).isNull();
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT datname FROM pg_database")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        assertThat(names).contains(database);
    }

    @Test
    void mailSentToTheSmtpPortIsReadableOverTheMailApi() throws Exception {
        PostgresServer pg = TestInfrastructure.postgres();
        String pgUrl = "postgresql://" + pg.user() + (pg.password().isEmpty() ? "" : ":" + pg.password())
                + "@" + pg.host() + ":" + pg.port();
        int smtpPort = Support.freePort();
        int apiPort = Support.freePort();
        Path ready = dataDir.resolve(LocalInfrastructure.READY_FILE);
        LocalInfrastructure.Running running = new LocalInfrastructure.Running(ready);
        try {
            // Everything else external: only the mail sink runs.
            LocalInfrastructure.start(LocalInfrastructure.Options.parse(new String[] {"--data-dir", dataDir.toString(),
                    "--external-postgres", pgUrl, "--external-redis", TestInfrastructure.redis().url(),
                    "--external-kafka", TestInfrastructure.kafka().bootstrapServers(),
                    "--smtp-port", "" + smtpPort, "--mail-api-port", "" + apiPort}), running);
            Properties endpoints = load(ready);
            assertThat(endpoints.getProperty("smtp.port")).isEqualTo("" + smtpPort);
            assertThat(endpoints.getProperty("smtp.external")).isEqualTo("false");
            assertThat(endpoints.getProperty("mail.api.url")).isEqualTo("http://127.0.0.1:" + apiPort + "/");

            sendMail(smtpPort, "no-reply@localhost", "ada@example.com", "Reset your Bookmarks password",
                    "Open http://localhost:8080/password-reset/confirm?token=abc to choose a new password.");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> inbox = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/api/user/ada@example.com/messages/INBOX")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(inbox.statusCode()).isEqualTo(200);
            assertThat(inbox.body()).contains("Reset your Bookmarks password")
                    .contains("password-reset/confirm?token=abc");
            HttpResponse<String> browser = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(browser.statusCode()).isEqualTo(200);
        } finally {
            running.stop();
        }
        assertThat(Support.isListening("127.0.0.1", smtpPort)).isFalse();
        assertThat(Support.isListening("127.0.0.1", apiPort)).isFalse();
    }

    @Test
    void parsesOptionsAndUrls() {
        LocalInfrastructure.Options o = LocalInfrastructure.Options.parse(new String[] {"--data-dir", "/x",
                "--postgres-port=5433", "--databases", " auth, graph ", "--external-kafka", "h:1"});
        assertThat(o.postgresPort).isEqualTo(5433);
        assertThat(o.redisPort).isEqualTo(16379);
        assertThat(o.databases).containsExactly("auth", "graph");
        assertThat(o.externalKafka).isEqualTo("h:1");
        assertThat(o.smtpPort).isEqualTo(13025);
        assertThat(o.mailApiPort).isEqualTo(18080);
        assertThat(ExternalMailServer.parse("smtp.example.com:587")).isEqualTo(new ExternalMailServer("smtp.example.com", 587));
        assertThat(ExternalMailServer.parse("smtp.example.com").smtpPort()).isEqualTo(25);
        assertThatThrownBy(() -> LocalInfrastructure.Options.parse(new String[] {"--data-dir", "/x", "--external-smtp", "a:b"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalInfrastructure.Options.parse(new String[] {"--postgres-port", "1"}))
                .hasMessageContaining("--data-dir");
        assertThatThrownBy(() -> LocalInfrastructure.Options.parse(new String[] {"--data-dir", "/x", "--databases", "a-b"}))
                .isInstanceOf(IllegalArgumentException.class);

        ExternalPostgresServer pg = ExternalPostgresServer.parse("postgresql://app:p%40ss@db.local:6543");
        assertThat(List.of(pg.user(), pg.password(), pg.host(), "" + pg.port())).containsExactly("app", "p@ss", "db.local", "6543");
        ExternalPostgresServer bare = ExternalPostgresServer.parse("postgresql://postgres@127.0.0.1:5432");
        assertThat(bare.password()).isEmpty();
        assertThat(bare.jdbcUrl("x")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/x");
        assertThat(ExternalRedisServer.parse("redis://127.0.0.1:6380/").port()).isEqualTo(6380);
        assertThat(ExternalKafkaServer.parse("a:1,b:2").bootstrapServers()).isEqualTo("a:1,b:2");
        assertThatThrownBy(() -> ExternalKafkaServer.parse("nohostport")).isInstanceOf(IllegalArgumentException.class);
        assertThat(AbstractPostgresServer.sanitize("9Lives-DB")).isEqualTo("db_9lives_db");
    }

    /** A plain SMTP conversation: what a service's mail sender does, without a mail library here. */
    private static void sendMail(int port, String from, String to, String subject, String text) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port);
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
             Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII)) {
            socket.setSoTimeout(5000);
            expect(in, "220");
            for (String[] step : new String[][] {{"HELO test", "250"}, {"MAIL FROM:<" + from + ">", "250"},
                    {"RCPT TO:<" + to + ">", "250"}, {"DATA", "354"}}) {
                out.write(step[0] + "\r\n");
                out.flush();
                expect(in, step[1]);
            }
            out.write("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\n" + text + "\r\n.\r\n");
            out.flush();
            expect(in, "250");
            out.write("QUIT\r\n");
            out.flush();
        }
    }

    /** Reads one reply (all its lines) and checks its code. */
    private static void expect(BufferedReader in, String code) throws Exception {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("SMTP reply").isNotNull().startsWith(code);
        } while (line.length() > 3 && line.charAt(3) == '-');
    }

    private static Admin admin(int port) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port));
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            p.load(reader);
        }
        return p;
    }
}
