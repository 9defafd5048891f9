package dev.bookmarks.bookmark.fetch;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The one read BlockHound may see on the fetcher's DNS loop: Netty draws every DNS query id from
 * SecureRandom (NativePRNG, which refills its buffer from /dev/urandom, a read that never waits
 * once the kernel is seeded). Unpredictable query ids are what keeps a forged answer from being
 * accepted, and the address check trusts the answer, so this stays; the loop is the resolver's
 * own, no request or driver work runs on it. Loaded by every BlockHound.install() in this module.
 */
public class DnsBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.netty.resolver.dns.DnsQueryIdSpace$DnsQueryIdRange", "pushId");
	}

}
