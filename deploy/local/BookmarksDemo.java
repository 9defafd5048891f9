import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;

/**
 * Fills a local Bookmarks site with a living demo, through the public API of the gateway only, as people would: a
 * dozen people register (each as a client address of their own, as from their own device), log in with the
 * mobile client's authorization code flow, upload a profile photo, follow each other, save pictures from a picture
 * server this program runs on a loopback address the local stack lets bookmark-service download from, like and view
 * each other's pictures. So every event flows through Kafka as in real use.
 *
 * <p>Running it again adds nothing twice: accounts, photos and names are only created when missing, a picture whose
 * title the person saved before is not saved again (nor is one whose URL was saved: 409), follows and likes are idempotent, and pictures that were already viewed
 * are not viewed again. Needs only the JDK: {@code java BookmarksDemo.java ORIGIN PICTURE_HOST PICTURE_PORT}; run by
 * {@code deploy/local/bookmarks demo}.
 */
public final class BookmarksDemo {

    static final String PASSWORD = "bookmarks-demo-2026";
    static final String CLIENT_ID = "bookmarks-mobile";
    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    static final int PICTURES_EACH = 3;

    record Person(String username, String firstName, String lastName) {
        String email() {
            return username + "@example.com";
        }
    }

    static final List<Person> PEOPLE = List.of(
            new Person("ada", "Ada", "Lovelace"), new Person("grace", "Grace", "Hopper"),
            new Person("alan", "Alan", "Turing"), new Person("edsger", "Edsger", "Dijkstra"),
            new Person("barbara", "Barbara", "Liskov"), new Person("donald", "Donald", "Knuth"),
            new Person("margaret", "Margaret", "Hamilton"), new Person("katherine", "Katherine", "Johnson"),
            new Person("dennis", "Dennis", "Ritchie"), new Person("frances", "Frances", "Allen"),
            new Person("radia", "Radia", "Perlman"), new Person("niklaus", "Niklaus", "Wirth"));

    static final String[] THEMES = {"ridge", "sea", "city", "lights", "forest", "aurora"};
    static final String[] PLACES = {"Alder", "Brennan", "Cairn", "Dunmore", "Eskdale", "Fallow", "Glen Ard", "Harrow",
            "Inver", "Kestrel", "Larch", "Morrow", "Northfell", "Orrin", "Pellan", "Quarry", "Rowan", "Skerry"};

    private final String origin;
    private final String pictureBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<Integer, byte[]> pictures = new LinkedHashMap<>();
    private int created;

    BookmarksDemo(String origin, String pictureBase) {
        this.origin = origin;
        this.pictureBase = pictureBase;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java BookmarksDemo.java ORIGIN PICTURE_HOST PICTURE_PORT");
            System.exit(2);
        }
        String origin = args[0].replaceAll("/+$", "");
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        BookmarksDemo demo = new BookmarksDemo(origin, "http://" + host + ":" + port);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
        } catch (BindException e) {
            fail("cannot serve the demo pictures on " + host + ":" + port + " (" + e.getMessage() + "). "
                    + "On macOS only 127.0.0.1 is configured by default: add 127.0.0.2 with "
                    + "'sudo ifconfig lo0 alias 127.0.0.2 up'; or choose another free port with BOOKMARKS_DEMO_PICTURE_PORT "
                    + "(then restart the stack, which allows that port)");
            return;
        }
        server.createContext("/pictures/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/pictures/".length());
            byte[] body = name.matches("\\d{1,3}\\.jpg") ? demo.picture(Integer.parseInt(name.replace(".jpg", ""))) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            demo.run();
        } finally {
            server.stop(0);
        }
    }

    void run() throws Exception {
        long started = System.nanoTime();
        say("Demo: %d people, %d pictures from %s, through %s", PEOPLE.size(), PEOPLE.size() * PICTURES_EACH,
                pictureBase, origin);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < PEOPLE.size(); i++) {
            Person person = PEOPLE.get(i);
            register(person, i);
            String token = logIn(person);
            tokens.put(person.username(), token);
            completeProfile(person, token, i);
        }
        say("  people: %d with profile photos", PEOPLE.size());

        // the people directory is built from auth-service's events: wait until everyone is in it
        String someone = tokens.values().iterator().next();
        for (Person person : PEOPLE) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (call("GET", "/api/users/" + person.username(), someone, null).statusCode() == 404) {
                if (System.nanoTime() > deadline) {
                    fail(person.username() + " did not reach the people directory within 3 minutes: are social-graph-service "
                            + "and Kafka running? (deploy/local/bookmarks status)");
                }
                Thread.sleep(500);
            }
        }

        int follows = 0;
        for (int i = 0; i < PEOPLE.size(); i++) {
            for (int j : followed(i)) {
                expect(call("PUT", "/api/users/" + PEOPLE.get(j).username() + "/follow", tokens.get(PEOPLE.get(i).username()), null), 204);
                follows++;
            }
        }
        say("  follows: %d", follows);

        List<String> imageIds = new ArrayList<>();
        List<Boolean> fresh = new ArrayList<>();
        for (int i = 0; i < PEOPLE.size(); i++) {
            for (int k = 0; k < PICTURES_EACH; k++) {
                int n = i * PICTURES_EACH + k;
                String[] saved = save(PEOPLE.get(i), tokens.get(PEOPLE.get(i).username()), n);
                imageIds.add(saved[0]);
                fresh.add(saved[1] != null);
            }
        }
        say("  pictures: %d saved", imageIds.size());

        int likes = 0;
        for (int i = 0; i < PEOPLE.size(); i++) {
            for (int n : liked(i, imageIds.size())) {
                expect(call("PUT", "/api/images/" + imageIds.get(n) + "/like", tokens.get(PEOPLE.get(i).username()), null), 204);
                likes++;
            }
        }
        say("  likes: %d", likes);

        int views = 0;
        String anyToken = tokens.values().iterator().next();
        for (int n = 0; n < imageIds.size(); n++) {
            if (alreadyViewed(imageIds.get(n), anyToken)) {
                continue; // an earlier run viewed it
            }
            for (int v = 0; v < viewers(n); v++) {
                Person viewer = PEOPLE.get((n * 5 + v * 7 + 1) % PEOPLE.size());
                expect(call("GET", "/api/images/" + imageIds.get(n), tokens.get(viewer.username()), null), 200);
                views++;
            }
        }
        say("  views: %d%s", views, views == 0 ? " (all pictures were viewed by an earlier run)" : "");
        say("Demo ready in %d s (%d things created this time). Log in at %s/ as any of:", (System.nanoTime() - started) / 1_000_000_000L,
                created, origin);
        StringBuilder names = new StringBuilder();
        for (Person p : PEOPLE) {
            names.append(names.length() == 0 ? "  " : ", ").append(p.username());
        }
        say("%s", names);
        say("  password (the same for all): %s", PASSWORD);
    }

    /** Whom person i follows: the next four, and everyone follows ada. */
    static List<Integer> followed(int i) {
        List<Integer> list = new ArrayList<>();
        for (int d = 1; d <= 4; d++) {
            list.add((i + d) % PEOPLE.size());
        }
        if (i != 0 && !list.contains(0)) {
            list.add(0);
        }
        return list;
    }

    /** Which pictures person i likes: never their own, a different handful each. */
    static List<Integer> liked(int i, int count) {
        List<Integer> list = new ArrayList<>();
        Random random = new Random(1000 + i);
        while (list.size() < 6) {
            int n = random.nextInt(count);
            if (n / PICTURES_EACH != i && !list.contains(n)) {
                list.add(n);
            }
        }
        return list;
    }

    /** How often picture n is viewed: a few are popular. */
    static int viewers(int n) {
        return 1 + (n * 7) % 9;
    }

    // -----------------------------------------------------------------------------------------------------------------
    // the public API

    void register(Person person, int index) throws Exception {
        String body = "{\"username\":\"" + person.username() + "\",\"email\":\"" + person.email() + "\",\"password\":\""
                + PASSWORD + "\",\"firstName\":\"" + person.firstName() + "\",\"lastName\":\"" + person.lastName() + "\"}";
        HttpResponse<String> answer = retrying(HttpRequest.newBuilder(URI.create(origin + "/api/accounts"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Forwarded-For", clientAddress(person)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (answer.statusCode() == 201) {
            created++;
        } else if (answer.statusCode() != 409) {
            fail("registering " + person.username() + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    /**
     * Each person as a client of their own (198.18.0.0/15 is for tests), named the way a proxy the gateway trusts
     * (loopback, here) names it: registrations and logins are limited per client address, as if from one device.
     */
    static String clientAddress(Person person) {
        return "198.18.0." + (PEOPLE.indexOf(person) + 1);
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

    /** The authorization code flow with PKCE of the public client, as the mobile app logs in; the access token. */
    String logIn(Person person) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
            String verifier = random(48);
            String state = random(16);
            String authorize = origin + "/auth/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id", CLIENT_ID,
                    "redirect_uri", REDIRECT_URI, "scope", "openid profile email", "state", state,
                    "code_challenge", challenge(verifier), "code_challenge_method", "S256"));
            String address = clientAddress(person);
            HttpResponse<String> page = browser.send(get(authorize, address), HttpResponse.BodyHandlers.ofString());
            for (int hops = 0; hops < 5 && page.statusCode() / 100 == 3; hops++) {
                page = browser.send(get(location(page).toString(), address), HttpResponse.BodyHandlers.ofString());
            }
            Matcher csrf = CSRF.matcher(page.body());
            if (!csrf.find()) {
                fail("no login form at " + authorize + " (" + page.statusCode() + ")");
            }
            HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(origin + "/auth/login"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", address)
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", person.username(), "password", PASSWORD,
                            "_csrf", csrf.group(1) != null ? csrf.group(1) : csrf.group(2))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 429 && attempt < 8) { // the login form's per-address limit: wait as told
                long wait = answer.headers().firstValueAsLong("Retry-After").orElse(15);
                say("  (the gateway limits logins per address: waiting %d s)", wait);
                Thread.sleep(wait * 1000);
                continue;
            }
            for (int hops = 0; hops < 5 && answer.statusCode() / 100 == 3; hops++) {
                URI next = location(answer);
                if (next.toString().startsWith(REDIRECT_URI)) {
                    Map<String, String> query = parse(next.getRawQuery());
                    if (!state.equals(query.get("state")) || query.get("code") == null) {
                        fail("unexpected callback " + next);
                    }
                    HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create(origin + "/auth/oauth2/token"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                                    "code", query.get("code"), "redirect_uri", REDIRECT_URI, "client_id", CLIENT_ID,
                                    "code_verifier", verifier)))).build(), HttpResponse.BodyHandlers.ofString());
                    expect(tokens, 200);
                    return field(tokens.body(), "access_token");
                }
                answer = browser.send(get(next.toString(), address), HttpResponse.BodyHandlers.ofString());
            }
            fail("logging in as " + person.username() + " did not reach the callback (" + answer.statusCode()
                    + "): is the account's password still " + PASSWORD + "?");
        }
    }

    /** A profile photo and the name, each only when missing. */
    void completeProfile(Person person, String token, int index) throws Exception {
        HttpResponse<String> me = expect(call("GET", "/api/accounts/me", token, null), 200);
        if (me.body().contains("\"firstName\":null")) {
            expect(call("PATCH", "/api/accounts/me", token, "{\"firstName\":\"" + person.firstName() + "\",\"lastName\":\""
                    + person.lastName() + "\"}"), 200);
            created++;
        }
        if (me.body().contains("\"photoUrl\":null") || !me.body().contains("\"photoUrl\"")) {
            String boundary = "demo" + random(12);
            ByteArrayOutputStream multipart = new ByteArrayOutputStream();
            multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + person.username() + ".png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            multipart.writeBytes(png(portrait(index)));
            multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpRequest request = HttpRequest.newBuilder(URI.create(origin + "/api/accounts/me/photo"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build();
            expect(retrying(request), 200);
            created++;
        }
    }

    /** Saves picture n as person; {id, "new"} or {id, null} when it was saved before. */
    String[] save(Person person, String token, int n) throws Exception {
        String title = title(n);
        // saved by an earlier run, perhaps from a picture server on another port (another URL): found by its title
        String earlier = savedBefore(person, token).get(title);
        if (earlier != null) {
            return new String[] {earlier, null};
        }
        String body = "{\"url\":\"" + pictureBase + "/pictures/" + n + ".jpg\",\"title\":\"" + title
                + "\",\"description\":\"" + description(n) + "\"}";
        HttpResponse<String> answer = retrying(HttpRequest.newBuilder(URI.create(origin + "/api/images"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (answer.statusCode() == 201) {
            created++;
            return new String[] {field(answer.body(), "id"), "new"};
        }
        if (answer.statusCode() == 409) {
            return new String[] {field(answer.body(), "existingId"), null};
        }
        if (answer.statusCode() == 400 && answer.body().contains("not a public internet address")) {
            fail("bookmark-service does not download from " + pictureBase + ": the stack was started without the demo's "
                    + "allowance (an older script, or BOOKMARKS_FETCH_ALLOWED_NETWORKS/_PORTS set otherwise); "
                    + "'deploy/local/bookmarks restart' and run the demo again");
        }
        fail("saving " + title + " as " + person.username() + " answered " + answer.statusCode() + ": " + answer.body());
        return null;
    }

    private final Map<String, Map<String, String>> savedBefore = new LinkedHashMap<>();

    /** The titles and ids of the pictures a person has saved. */
    Map<String, String> savedBefore(Person person, String token) throws Exception {
        Map<String, String> saved = savedBefore.get(person.username());
        if (saved == null) {
            saved = new LinkedHashMap<>();
            String page = expect(call("GET", "/api/images?owner=" + person.username() + "&limit=50", token, null), 200).body();
            Matcher image = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"slug\"\\s*:\\s*\"[^\"]*\"\\s*,\\s*\"title\"\\s*:\\s*\"([^\"]*)\"")
                    .matcher(page);
            while (image.find()) {
                saved.put(image.group(2), image.group(1));
            }
            savedBefore.put(person.username(), saved);
        }
        return saved;
    }

    boolean alreadyViewed(String imageId, String token) throws Exception {
        HttpResponse<String> counts = call("GET", "/api/rankings/images/" + imageId, token, null);
        if (counts.statusCode() == 404) {
            return false;
        }
        expect(counts, 200);
        Matcher views = Pattern.compile("\"views\"\\s*:\\s*(\\d+)").matcher(counts.body());
        return views.find() && Long.parseLong(views.group(1)) > 0;
    }

    HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return retrying(request.build());
    }

    /** Sends, waiting as told on 429 and 503 (rate limits, busy budgets), a few times. */
    HttpResponse<String> retrying(HttpRequest request) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if ((answer.statusCode() != 429 && answer.statusCode() != 503) || attempt >= 10) {
                return answer;
            }
            Thread.sleep(1000 * Math.min(30, answer.headers().firstValueAsLong("Retry-After").orElse(2)));
        }
    }

    static HttpResponse<String> expect(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            fail(answer.request().method() + " " + answer.uri().getPath() + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    static HttpRequest get(String uri, String clientAddress) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", clientAddress)
                .GET().build();
    }

    static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            fail("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String form(Map<String, String> values) {
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(s.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }

    static Map<String, String> parse(String query) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    static String random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }

    static void fail(String message) {
        System.err.println("bookmarks demo: " + message);
        System.exit(1);
    }

    // -----------------------------------------------------------------------------------------------------------------
    // generated pictures: the same bytes on every run, so a picture saved before is recognised by its URL

    static String title(int n) {
        String place = PLACES[(n * 7 + n / PLACES.length) % PLACES.length];
        return switch (THEMES[n % THEMES.length]) {
            case "ridge" -> "Evening over " + place + " ridge";
            case "sea" -> "Low tide at " + place;
            case "city" -> place + " by night";
            case "lights" -> "Lights on " + place + " street";
            case "forest" -> "Pines above " + place;
            default -> "Aurora over " + place;
        };
    }

    static String description(int n) {
        return "Generated for the Bookmarks demo, picture " + (n + 1) + ".";
    }

    synchronized byte[] picture(int n) {
        if (n < 0 || n >= PEOPLE.size() * PICTURES_EACH) {
            return null;
        }
        return pictures.computeIfAbsent(n, k -> jpeg(landscape(k)));
    }

    static BufferedImage landscape(int n) {
        int w = 1200;
        int h = 800;
        Random r = new Random(42 + n * 31L);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float hue = r.nextFloat();
        String theme = THEMES[n % THEMES.length];
        switch (theme) {
            case "ridge" -> {
                Color top = Color.getHSBColor(hue, 0.55f, 0.55f);
                Color horizon = Color.getHSBColor((hue + 0.12f) % 1, 0.45f, 1f);
                g.setPaint(new GradientPaint(0, 0, top, 0, h * 0.65f, horizon));
                g.fillRect(0, 0, w, h);
                sun(g, 250 + r.nextInt(700), 200 + r.nextInt(200), 70, new Color(255, 240, 200));
                for (int layer = 0; layer < 4; layer++) {
                    float t = (layer + 1) / 4f;
                    ridge(g, r, w, h, 330 + layer * 110, 120 - layer * 15, mix(horizon, Color.getHSBColor((hue + 0.5f) % 1, 0.5f, 0.15f), t));
                }
            }
            case "sea" -> {
                Color sky = Color.getHSBColor(0.55f + r.nextFloat() * 0.08f, 0.35f, 0.98f);
                g.setPaint(new GradientPaint(0, 0, sky.darker(), 0, h / 2f, sky));
                g.fillRect(0, 0, w, h / 2);
                Color sea = Color.getHSBColor(0.52f + r.nextFloat() * 0.06f, 0.7f, 0.55f);
                g.setPaint(new GradientPaint(0, h / 2f, sea.brighter(), 0, h, sea.darker()));
                g.fillRect(0, h / 2, w, h / 2);
                int sx = 300 + r.nextInt(600);
                sun(g, sx, h / 2 - 120, 55, new Color(255, 250, 225));
                g.setStroke(new BasicStroke(3));
                for (int i = 0; i < 140; i++) {
                    int y = h / 2 + 8 + (int) (Math.pow(r.nextDouble(), 1.6) * (h / 2 - 10));
                    int len = 20 + (y - h / 2) / 3 + r.nextInt(40);
                    int x = Math.abs(sx - 60 + (int) (r.nextGaussian() * 90 * (1 + (y - h / 2) / 200.0)));
                    g.setColor(new Color(255, 255, 235, 60 + r.nextInt(120)));
                    g.drawLine(x, y, x + len, y);
                }
            }
            case "city" -> {
                g.setPaint(new GradientPaint(0, 0, new Color(8, 10, 35), 0, h, Color.getHSBColor(hue, 0.6f, 0.35f)));
                g.fillRect(0, 0, w, h);
                stars(g, r, w, h / 2, 120);
                for (int row = 0; row < 2; row++) {
                    int x = -20;
                    while (x < w) {
                        int bw = 60 + r.nextInt(90);
                        int bh = 150 + r.nextInt(row == 0 ? 400 : 250);
                        g.setColor(row == 0 ? new Color(28, 30, 52) : new Color(14, 15, 28));
                        g.fillRect(x, h - bh, bw, bh);
                        for (int wy = h - bh + 14; wy < h - 12; wy += 22) {
                            for (int wx = x + 8; wx < x + bw - 12; wx += 16) {
                                if (r.nextFloat() < 0.35f) {
                                    g.setColor(new Color(255, 210 + r.nextInt(40), 120 + r.nextInt(80)));
                                    g.fillRect(wx, wy, 8, 11);
                                }
                            }
                        }
                        x += bw + r.nextInt(12);
                    }
                }
            }
            case "lights" -> {
                g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.7f, 0.18f), w, h, Color.getHSBColor((hue + 0.2f) % 1, 0.6f, 0.08f)));
                g.fillRect(0, 0, w, h);
                for (int i = 0; i < 90; i++) {
                    float size = 30 + r.nextFloat() * 140;
                    float x = r.nextFloat() * w;
                    float y = r.nextFloat() * h;
                    Color c = Color.getHSBColor((hue + r.nextFloat() * 0.25f) % 1, 0.6f, 1f);
                    g.setPaint(new RadialGradientPaint(new Point2D.Float(x, y), size / 2, new float[] {0f, 0.8f, 1f},
                            new Color[] {alpha(c, 110), alpha(c, 70), alpha(c, 0)}));
                    g.fill(new Ellipse2D.Float(x - size / 2, y - size / 2, size, size));
                }
            }
            case "forest" -> {
                Color mist = Color.getHSBColor(0.3f + r.nextFloat() * 0.15f, 0.15f, 0.92f);
                g.setPaint(new GradientPaint(0, 0, mist, 0, h, mist.darker()));
                g.fillRect(0, 0, w, h);
                for (int layer = 0; layer < 5; layer++) {
                    float t = (layer + 1) / 5f;
                    g.setColor(mix(mist, new Color(12, 48, 30), t));
                    int base = 380 + layer * 95;
                    for (int x = -40; x < w + 40; x += 26 + r.nextInt(30)) {
                        int th = 110 + r.nextInt(110) + layer * 20;
                        g.fillPolygon(new int[] {x - th / 5, x, x + th / 5}, new int[] {base, base - th, base}, 3);
                    }
                    g.fillRect(0, base - 2, w, h - base + 2);
                }
            }
            default -> {
                g.setPaint(new GradientPaint(0, 0, new Color(4, 8, 24), 0, h, new Color(10, 30, 50)));
                g.fillRect(0, 0, w, h);
                stars(g, r, w, h, 260);
                for (int band = 0; band < 4; band++) {
                    Color c = band % 2 == 0 ? new Color(80, 255, 160) : new Color(150, 100, 255);
                    double phase = r.nextDouble() * 6;
                    int baseY = 180 + band * 60 + r.nextInt(60);
                    for (int x = 0; x < w; x += 3) {
                        int y = baseY + (int) (Math.sin(x / 170.0 + phase) * 60 + Math.sin(x / 53.0 + phase * 2) * 15);
                        g.setPaint(new GradientPaint(x, y - 160, alpha(c, 0), x, y, alpha(c, 70)));
                        g.fillRect(x, y - 160, 3, 160);
                    }
                }
                ridge(g, r, w, h, 620, 70, new Color(6, 10, 16));
            }
        }
        g.dispose();
        return image;
    }

    static void ridge(Graphics2D g, Random r, int w, int h, int base, int amplitude, Color color) {
        GeneralPath path = new GeneralPath();
        path.moveTo(0, h);
        double a = r.nextDouble() * 6;
        double b = r.nextDouble() * 6;
        for (int x = 0; x <= w; x += 8) {
            double y = base - amplitude * (0.6 * Math.sin(x / 190.0 + a) + 0.3 * Math.sin(x / 67.0 + b) + 0.1 * Math.sin(x / 23.0));
            path.lineTo(x, y);
        }
        path.lineTo(w, h);
        path.closePath();
        g.setColor(color);
        g.fill(path);
    }

    static void sun(Graphics2D g, int x, int y, int radius, Color color) {
        g.setPaint(new RadialGradientPaint(new Point2D.Float(x, y), radius * 3, new float[] {0f, 0.3f, 1f},
                new Color[] {alpha(color, 255), alpha(color, 120), alpha(color, 0)}));
        g.fill(new Ellipse2D.Float(x - radius * 3, y - radius * 3, radius * 6, radius * 6));
        g.setColor(color);
        g.fill(new Ellipse2D.Float(x - radius, y - radius, radius * 2, radius * 2));
    }

    static void stars(Graphics2D g, Random r, int w, int h, int count) {
        for (int i = 0; i < count; i++) {
            g.setColor(new Color(255, 255, 255, 80 + r.nextInt(175)));
            int s = r.nextFloat() < 0.1f ? 3 : 2;
            g.fillRect(r.nextInt(w), r.nextInt(h), s, s);
        }
    }

    /** A simple portrait: a head and shoulders in the person's own colours. */
    static BufferedImage portrait(int index) {
        int size = 512;
        Random r = new Random(7 + index * 13L);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float hue = (index * 0.083f + 0.02f) % 1;
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.35f, 0.95f), 0, size, Color.getHSBColor(hue, 0.55f, 0.75f)));
        g.fillRect(0, 0, size, size);
        Color[] skins = {new Color(241, 204, 177), new Color(224, 172, 138), new Color(198, 134, 96), new Color(141, 92, 60),
                new Color(96, 62, 42)};
        Color[] hairs = {new Color(40, 30, 25), new Color(90, 60, 35), new Color(170, 120, 60), new Color(200, 200, 200),
                new Color(120, 40, 30)};
        Color skin = skins[r.nextInt(skins.length)];
        Color hair = hairs[r.nextInt(hairs.length)];
        Color shirt = Color.getHSBColor((hue + 0.5f) % 1, 0.6f, 0.55f);
        g.setColor(shirt);
        g.fill(new Ellipse2D.Float(86, 370, 340, 300));
        g.setColor(skin.darker());
        g.fillRect(221, 300, 70, 90);
        boolean longHair = r.nextBoolean();
        g.setColor(hair);
        if (longHair) {
            g.fill(new Ellipse2D.Float(146, 110, 220, 300));
        }
        g.setColor(skin);
        g.fill(new Ellipse2D.Float(166, 130, 180, 220));
        g.setColor(hair);
        g.fill(new java.awt.geom.Arc2D.Float(158, 112, 196, 150, 0, 180, java.awt.geom.Arc2D.CHORD));
        g.setColor(new Color(40, 35, 35));
        g.fill(new Ellipse2D.Float(212, 230, 16, 18));
        g.fill(new Ellipse2D.Float(284, 230, 16, 18));
        g.setStroke(new BasicStroke(6, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(150, 60, 60));
        g.draw(new java.awt.geom.Arc2D.Float(226, 268, 60, 40, 200, 140, java.awt.geom.Arc2D.OPEN));
        if (r.nextInt(3) == 0) { // glasses
            g.setColor(new Color(30, 30, 30));
            g.setStroke(new BasicStroke(5));
            g.draw(new Ellipse2D.Float(194, 218, 52, 42));
            g.draw(new Ellipse2D.Float(266, 218, 52, 42));
            g.drawLine(246, 238, 266, 238);
        }
        g.dispose();
        return image;
    }

    static Color mix(Color a, Color b, float t) {
        return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * t), (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpg");
    }

    static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
