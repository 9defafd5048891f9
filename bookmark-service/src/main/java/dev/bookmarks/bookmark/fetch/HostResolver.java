package dev.bookmarks.bookmark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into every address it names. The JDK's resolver by default; blocking. */
@FunctionalInterface
public interface HostResolver {

	InetAddress[] resolve(String host) throws UnknownHostException;

	HostResolver SYSTEM = InetAddress::getAllByName;

}
