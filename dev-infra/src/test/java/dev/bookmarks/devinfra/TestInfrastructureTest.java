package dev.bookmarks.devinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestInfrastructureTest {

    @Test
    void postgresCreatesAFreshDatabasePerCall() throws Exception {
        PostgresServer pg = TestInfrastructure.postgres();
        assertThat(TestInfrastructure.postgres()).isSameAs(pg);

        String first = pg.createDatabase("Dev-Infra");
        String second = pg.createDatabase("Dev-Infra");
        assertThat(first).startsWith("dev_infra_").isNotEqualTo(second);
        assertThat(pg.jdbcUrl(first)).isEqualTo("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + first);
        assertThat(pg.r2dbcUrl(first)).isEqualTo("r2dbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + first);

        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(first), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO item VALUES (1, 'one'), (2, 'two')");
            try (ResultSet rs = s.executeQuery("SELECT current_database(), count(*), max(name) FROM item")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(first);
                assertThat(rs.getInt(2)).isEqualTo(2);
                assertThat(rs.getString(3)).isEqualTo("two");
            }
        }
    }

    @Test
    void redisAnswersSetAndGet() throws Exception {
        RedisServer redis = TestInfrastructure.redis();
        assertThat(redis.url()).isEqualTo("redis://" + redis.host() + ":" + redis.port());
        try (Resp resp = new Resp(redis.host(), redis.port())) {
            assertThat(resp.call("SET", "greeting", "hello wörld")).isEqualTo("OK");
            assertThat(resp.call("GET", "greeting")).isEqualTo("hello wörld");
            assertThat(resp.call("GET", "missing")).isNull();
        }
    }

    @Test
    void kafkaProducesAndConsumesARecord() throws Exception {
        String bootstrap = TestInfrastructure.kafka().bootstrapServers();
        String topic = "devinfra-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, "key", "value")).get();
            assertThat(sent.offset()).isZero();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "devinfra-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            assertThat(received).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("key");
                assertThat(r.value()).isEqualTo("value");
            });
        }
    }

    /** A minimal RESP client: commands as arrays of bulk strings, answers of simple/bulk/error/integer type. */
    static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Resp(String host, int port) throws IOException {
            socket = new Socket(host, port);
            socket.setSoTimeout(5000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        String call(String... args) throws IOException {
            StringBuilder cmd = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                cmd.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            int type = in.read();
            String line = readLine();
            switch (type) {
                case '+', ':' -> {
                    return line;
                }
                case '-' -> throw new IOException("redis error: " + line);
                case '$' -> {
                    int length = Integer.parseInt(line);
                    if (length < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(length);
                    readLine();
                    return new String(data, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("unexpected reply type " + (char) type + line);
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                sb.append((char) c);
            }
            in.read(); // '\n'
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
