package io.p13n.cli.console;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.Secret;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Who may use the console, decided once from the configuration and then per request.
 *
 * <ul>
 *   <li><b>Open</b>: bound to a loopback address with no login and no proxy configured, the local
 *       demo. Only processes on this machine can connect.
 *   <li><b>Basic</b>: {@code console.user} and {@code console.password}; the password is compared
 *       as a SHA-256 digest with {@link MessageDigest#isEqual}, so the time taken says nothing
 *       about how much of it matched, nor about its length.
 *   <li><b>Proxy</b>: the user named in {@code console.proxy.user-header}, believed only on
 *       connections from {@code console.proxy.addresses} (anyone else can send the header too).
 * </ul>
 *
 * Basic and proxy may both be configured; either lets a request in. Bound to anything but loopback
 * without either, the console does not start: an engine's customers and campaigns would be open to
 * the network.
 */
final class ConsoleAccess {
    /** What a request is let in as; {@code user} is null when it is refused. */
    record Verdict(String user, String how) {
        boolean allowed() {
            return user != null;
        }
    }

    /** The user recorded for changes made on an open (loopback, no login) console. */
    static final String LOCAL_USER = "console";

    private final String bind;
    private final String user;
    private final byte[] passwordDigest;
    private final String proxyHeader;
    private final Set<String> proxyAddresses;

    private ConsoleAccess(
            String bind,
            String user,
            byte[] passwordDigest,
            String proxyHeader,
            Set<String> proxyAddresses) {
        this.bind = bind;
        this.user = user;
        this.passwordDigest = passwordDigest;
        this.proxyHeader = proxyHeader;
        this.proxyAddresses = proxyAddresses;
    }

    /**
     * The rules of {@code config}'s console options.
     *
     * @throws IllegalStateException when the console would be reachable from other machines without
     *     a login (the message says how to fix it)
     */
    static ConsoleAccess of(EngineConfig config) {
        String bind = config.get(EngineOptions.CONSOLE_BIND);
        Optional<String> user = config.get(EngineOptions.CONSOLE_USER);
        Optional<Secret> password = config.get(EngineOptions.CONSOLE_PASSWORD);
        Optional<String> header = config.get(EngineOptions.CONSOLE_PROXY_USER_HEADER);
        List<String> proxies = config.get(EngineOptions.CONSOLE_PROXY_ADDRESSES);
        ConsoleAccess access =
                new ConsoleAccess(
                        bind,
                        user.orElse(null),
                        password.map(p -> digest(p.reveal())).orElse(null),
                        header.orElse(null),
                        Set.copyOf(proxies));
        if (access.isOpen() && !isLoopback(bind)) {
            throw new IllegalStateException(
                    "refusing to serve the console on "
                            + bind
                            + " without a login: anyone who can reach it could read customers and"
                            + " change campaigns. Set console.user and console.password (the password"
                            + " in env "
                            + EngineOptions.CONSOLE_PASSWORD.envName()
                            + "), or console.proxy.user-header and console.proxy.addresses behind an"
                            + " authenticating proxy; or bind to 127.0.0.1.");
        }
        return access;
    }

    /** No login at all: only on loopback (checked by {@link #of}). */
    boolean isOpen() {
        return passwordDigest == null && proxyHeader == null;
    }

    /** How requests are let in, for the start-up line and the page footer; never a secret. */
    String describe() {
        if (isOpen()) {
            return "no login (bound to loopback " + bind + ")";
        }
        StringBuilder s = new StringBuilder();
        if (passwordDigest != null) {
            s.append("HTTP Basic login as ").append(user);
        }
        if (proxyHeader != null) {
            s.append(s.isEmpty() ? "" : ", or ")
                    .append("header ")
                    .append(proxyHeader)
                    .append(" from ")
                    .append(String.join(", ", proxyAddresses));
        }
        return s.toString();
    }

    /** True when a refused request should be asked for a Basic login (a browser then prompts). */
    boolean challengesWithBasic() {
        return passwordDigest != null;
    }

    /**
     * Decides a request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param remoteAddress the connection's peer address (not a forwarded one)
     * @param headers the request's headers by name
     */
    Verdict check(String authorization, String remoteAddress, UnaryOperator<String> headers) {
        if (isOpen()) {
            return new Verdict(LOCAL_USER, "open");
        }
        if (passwordDigest != null && authorization != null) {
            String basicUser = basicUser(authorization);
            if (basicUser != null) {
                return new Verdict(basicUser, "basic");
            }
        }
        if (proxyHeader != null && proxyAddresses.contains(normalize(remoteAddress))) {
            String named = headers.apply(proxyHeader);
            if (named != null && !named.isBlank()) {
                return new Verdict(named.strip(), "proxy");
            }
        }
        return new Verdict(null, "refused");
    }

    /** The user of a valid Basic header, else null. */
    private String basicUser(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded =
                    new String(
                            Base64.getDecoder().decode(authorization.substring(6).trim()),
                            StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        // Both compared in full whatever the first says, so timing does not tell which was wrong.
        boolean userMatches =
                MessageDigest.isEqual(digest(decoded.substring(0, colon)), digest(user));
        boolean passwordMatches =
                MessageDigest.isEqual(digest(decoded.substring(colon + 1)), passwordDigest);
        return userMatches & passwordMatches ? user : null;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** An address literal in the form the configuration keeps ({@code ::1} as 0:0:...:1). */
    private static String normalize(String address) {
        if (address == null) {
            return "";
        }
        try {
            return InetAddress.getByName(address.replaceAll("^\\[|\\]$", "")).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** True for a loopback address or a name that resolves only to loopback ("localhost"). */
    static boolean isLoopback(String bind) {
        try {
            InetAddress[] all = InetAddress.getAllByName(bind);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
